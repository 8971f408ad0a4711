"""Spreadsheets and archives are read with bounds: the attack files of tests/attack_files.py
get a French refusal, or cost what their real content costs — measured by peak memory
(tracemalloc, a generous bound) and by counting the rows and cells converted, never by
time. Legitimate files still import."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from siae_app.services import ServiceError, spreadsheets
from siae_app.services.archives import SafeZip, ZipLimits, open_zip
from siae_app.services.employees import imports
from siae_app.services.frameworks.exchange import FrameworkFormatError, csv_reader, csv_row_reader
from siae_app.services.frameworks.exchange.json_reader import from_json_text
from tests import attack_files
from tests.employees.helpers import url
from tests.site import text_of

PEAK_BOUND = 50 * 1024 * 1024
TOO_MANY = (
    "Le fichier contient plus de 2\u202f000 lignes de salariés : 2\u202f000 au maximum par "
    "import. Découpez-le en plusieurs fichiers."
)
REFUSED = "Un fichier ordinaire n’atteint pas ces limites"


def _upload(client, site, content: bytes, name: str):
    return client.post(
        url(site, "/import"),
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _peak(action):
    """(result — or the exception raised —, peak bytes allocated while it ran)."""
    tracemalloc.start()
    try:
        try:
            result = action()
        except Exception as exc:  # a refusal is the result looked at
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def cip(world, client_for):
    return client_for(world.a.member("cip"))


@pytest.fixture
def converted(monkeypatch):
    """Counts the cells the importer reads (one call per known column of a kept line)."""
    calls = []
    real = imports.from_spreadsheet

    def counting(value):
        calls.append(value)
        return real(value)

    monkeypatch.setattr(imports, "from_spreadsheet", counting)
    return calls


# ------------------------------------------------------------------ the salarié import


def test_declared_dimension_of_16384_columns_costs_nothing(world, cip):
    data = attack_files.declared_dimension_attack()
    assert len(data) < 2048  # the review's 1.6 KB file
    page, peak = _peak(lambda: _upload(cip, world.a, data, "liste.xlsx"))
    assert page.status_code == 200, text_of(page)
    assert "1 ligne lue" in text_of(page) and "NOM9000" in text_of(page)
    assert peak < PEAK_BOUND  # openpyxl padded 9,000 rows to 16,384 cells: 1.2 GB


def test_a_cell_at_column_xfd_on_every_line_costs_the_header_width(world, cip):
    data = attack_files.far_cell_rows(2000)
    page, peak = _peak(lambda: _upload(cip, world.a, data, "liste.xlsx"))
    assert page.status_code == 200, text_of(page)
    assert "2\u202f000 lignes lues" in text_of(page)
    assert peak < PEAK_BOUND


def test_real_cells_past_the_header_are_never_converted(monkeypatch):
    calls = []
    real = spreadsheets._text
    monkeypatch.setattr(spreadsheets, "_text", lambda *a: calls.append(1) or real(*a))
    data = attack_files.wide_rows(4)  # 4 rows of 16,384 cells under a 3-column header
    rows = list(spreadsheets.read_rows("l.xlsx", data, max_lines=10, what="lignes"))
    assert [len(r.cells) for r in rows] == [3, 3, 3, 3, 3]
    assert len(calls) == 5 * 3


def test_csv_past_the_limit_stops_reading(world, cip, converted):
    page = _upload(cip, world.a, attack_files.csv_lines(100_000), "liste.csv")
    assert page.status_code == 422
    assert TOO_MANY in text_of(page)
    assert "Vérifier le fichier" in text_of(page)  # the form is there again
    assert len(converted) <= 2000 * 3  # not 100,000 lines


def test_xlsx_past_the_limit_is_refused_and_2000_lines_import(world, cip):
    page = _upload(cip, world.a, attack_files.legit_xlsx(2001), "liste.xlsx")
    assert page.status_code == 422 and TOO_MANY in text_of(page)
    page = _upload(cip, world.a, attack_files.legit_xlsx(2000), "liste.xlsx")
    assert page.status_code == 200 and "2\u202f000 lignes lues" in text_of(page)
    assert "12/01/1980" in text_of(page)  # a real date cell, read through its style


def test_zip_bomb_part_is_refused_before_inflating(world, cip, monkeypatch):
    inflated = []
    real_read = zipfile.ZipExtFile.read
    monkeypatch.setattr(
        zipfile.ZipExtFile, "read", lambda self, n=-1: inflated.append(n) or real_read(self, n)
    )
    data = attack_files.inflating_sheet(20)  # 20 Mo of spaces in 22 Ko
    page = _upload(cip, world.a, data, "liste.xlsx")
    assert page.status_code == 422
    assert "fait 20 Mo une fois décompressé (16 Mo au plus)" in text_of(page)
    assert inflated == []  # refused from the central directory alone


def test_compression_ratio_is_bounded(world, cip):
    page = _upload(cip, world.a, attack_files.inflating_sheet(2), "liste.xlsx")
    assert page.status_code == 422
    assert "(100 fois au plus)" in text_of(page) and REFUSED in text_of(page)


def test_a_lying_central_directory_gains_nothing(world, cip, monkeypatch):
    sheet = attack_files.sheet_xml(
        attack_files.header_row() + attack_files.salarie_row(2) + "<!--" + "x" * 3_000_000 + "-->"
    )
    data = attack_files.lie_about_size(attack_files.xlsx(sheet), attack_files.SHEET, 2000)
    produced = []
    real_read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        chunk = real_read(self, n)
        produced.append(len(chunk))
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    page = _upload(cip, world.a, data, "liste.xlsx")
    assert page.status_code == 422 and "Ce fichier Excel est illisible" in text_of(page)
    assert sum(produced) < 100_000  # the 3 Mo behind the lie are never produced


def test_reading_counts_what_is_inflated_whatever_the_directory_says():
    """The bytes really produced are counted: past the bound, reading stops."""
    data = attack_files.xlsx(attack_files.sheet_xml(attack_files.header_row()))
    assert len(open_zip(data).read(attack_files.SHEET)) > 300
    archive = SafeZip(zipfile.ZipFile(io.BytesIO(data)), ZipLimits(member_bytes=300))
    with pytest.raises(ServiceError) as refused:
        archive.read(attack_files.SHEET)
    assert "se décompresse au-delà de sa taille annoncée" in refused.value.message


def test_entity_bomb_is_refused(world, cip):
    page, peak = _peak(lambda: _upload(cip, world.a, attack_files.entity_bomb(), "liste.xlsx"))
    assert page.status_code == 422 and "Ce fichier Excel est illisible" in text_of(page)
    assert peak < PEAK_BOUND


def test_too_many_members_and_unbounded_methods_are_refused(world, cip):
    extra = {f"xl/media/image{n}.bin": b"" for n in range(1001)}
    page = _upload(cip, world.a, attack_files.xlsx("", extra=extra), "liste.xlsx")
    assert page.status_code == 422
    assert "l’archive contient 1006 éléments (1000 au plus)" in text_of(page)
    # bzip2 and LZMA members are inflated by the standard library without an output bound
    sheet = attack_files.sheet_xml(attack_files.header_row() + attack_files.salarie_row(2))
    data = attack_files.xlsx(sheet, method=zipfile.ZIP_BZIP2)
    page = _upload(cip, world.a, data, "liste.xlsx")
    assert page.status_code == 422 and "Ce fichier Excel est illisible" in text_of(page)


def test_upload_beyond_5_mo_is_refused(world, cip):
    big = attack_files.csv_lines(10) + b" " * (5 * 1024 * 1024)
    page = _upload(cip, world.a, big, "liste.csv")
    assert page.status_code == 422
    assert "Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers." in text_of(page)


def test_header_past_column_200_is_refused():
    header = ";".join(["Nom", "Prénom", "Date de naissance", *[f"C{n}" for n in range(200)]])
    with pytest.raises(ServiceError) as refused:
        list(spreadsheets.read_rows("l.csv", header.encode(), max_lines=10, what="lignes"))
    assert "au-delà de la colonne 200 : 200 colonnes au plus." in refused.value.message


# ---------------------------------------------------------------------- frameworks


def test_framework_csv_stops_at_the_most_a_valid_file_holds(monkeypatch):
    seen = []
    real = csv_row_reader.CsvRowReader.add_row
    monkeypatch.setattr(
        csv_row_reader.CsvRowReader, "add_row", lambda self, *a: seen.append(1) or real(self, *a)
    )
    header = "type_ligne;activite;activite_type;activite_intitule;competence;"
    header += "competence_intitule;categorie;texte"
    savoir = "savoir;1;;Activité;CP1;Compétence;savoirs;Savoir {}"
    text = "\n".join([header, *(savoir.format(n) for n in range(40_000))])
    with pytest.raises(FrameworkFormatError) as refused:
        csv_reader.from_csv(text)
    assert refused.value.message == (
        f"Ce fichier compte plus de {spreadsheets.french_number(csv_reader.MAX_CSV_LINES)} "
        "lignes : au-delà, l’import n’est pas possible. Découpez-le en plusieurs référentiels."
    )
    assert len(seen) == csv_reader.MAX_CSV_LINES


def test_framework_json_of_many_small_objects_is_refused_before_parsing():
    text = "[" + ",".join(["{}"] * 1_500_000) + "]"  # 4.5 Mo: 110 Mo once parsed
    refused, peak = _peak(lambda: from_json_text(text))
    assert isinstance(refused, FrameworkFormatError)
    assert refused.message.startswith("JSON invalide : 1\u202f500\u202f001 accolades")
    assert peak < PEAK_BOUND


# ---------------------------------------------------------------------------- bench


@pytest.mark.no_db
def test_bench_runs_to_its_end_on_tiny_data():
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "bounded_inputs.py")],
        env={**os.environ, "BENCH_RUNS": "1", "BENCH_LINES": "5"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["bench"] == "bounded_inputs" and summary["lines"] == 5
    assert "refusé : Ce fichier Excel est illisible" in done.stdout  # the entity bomb


def test_csv_read_line_by_line_keeps_every_line_ending_and_numbering():
    """Windows, old Mac (\r alone) and Unix endings; a cell over two lines counts as one
    spreadsheet row (``number``) and two text lines (``line``)."""
    for text in (
        "Nom;Prénom\r\nA;B\r\n\r\nC;D",
        "Nom;Prénom\rA;B\r\rC;D",
        "Nom;Prénom\nA;B\n\nC;D",
    ):
        rows = list(spreadsheets.csv_rows(text, max_lines=5))
        assert [(r.number, r.cells) for r in rows] == [
            (1, ["Nom", "Prénom"]),
            (2, ["A", "B"]),
            (4, ["C", "D"]),
        ]
    rows = list(spreadsheets.csv_rows('Nom,Adresse\nA,"1 rue X\n69000 Lyon"\nB,C', max_lines=5))
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 2), (3, 4)]
    assert rows[1].cells == ["A", "1 rue X\n69000 Lyon"]
