"""Hostile or oversized imports: heavy PDFs, too many elements, too long texts, control
characters, deep JSON, spreadsheet formulas. Every case ends with a French message."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from sqlalchemy import func, select

from siae_app.models import Framework, FrameworkImport
from siae_app.services import ServiceError
from siae_app.services.frameworks import limits, pdf_worker
from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.csv_reader import from_csv
from siae_app.services.frameworks.exchange.csv_writer import to_csv
from siae_app.services.frameworks.exchange.json_reader import from_json_dict, from_json_text
from siae_app.services.frameworks.exchange.json_writer import to_json_dict
from siae_app.services.frameworks.pdf_text import PdfLimits, PdfTextError, extract_pdf_text
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.upload import read_upload
from tests.frameworks.helpers import REAC_ETI, upload
from tests.site import text_of

TOO_HEAVY = "Ce PDF est trop lourd ou trop complexe pour être lu"


@pytest.fixture(scope="module")
def eti_txt() -> str:
    return REAC_ETI.read_text(encoding="utf-8")


def minimal() -> dict:
    return {
        "format": "parcours-siae/referentiel",
        "version": 1,
        "intitule": "Agent d’entretien",
        "sigle": "AE",
        "activites": [
            {
                "numero": 1,
                "intitule": "Entretenir les locaux",
                "competences": [
                    {"numero": 1, "intitule": "Nettoyer un sol", "criteres": ["Le sol est propre"]}
                ],
            }
        ],
        "competences_transversales": [],
    }


# ------------------------------------------------------------------------- PDF


def pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all share one (flate-compressed) content stream."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    font_ref = writer._add_object(font)
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream_ref = writer._add_object(stream.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
        page[NameObject("/Contents")] = stream_ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_lines(count: int) -> bytes:
    """``count`` lines of text operators: slow to lay out on one page."""
    return b"BT /F1 12 Tf 72 720 Td " + b"(Texte lisible) Tj 0 -14 Td " * count + b"ET"


def assert_too_heavy(data: bytes, limits: PdfLimits | None = None) -> None:
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(data, limits=limits)
    assert info.value.message.startswith(TOO_HEAVY)
    assert "Exportez le texte du REAC" in info.value.message


@pytest.fixture(scope="module")
def bomb_pdf() -> bytes:
    """72 MB of drawing operators in about 100 KB."""
    return pdf_with_content(b"0 0 m " * 12_000_000)


def test_pdf_with_one_huge_content_stream_is_refused(bomb_pdf: bytes) -> None:
    assert len(bomb_pdf) < 200_000
    assert_too_heavy(bomb_pdf)


def test_small_pdf_with_a_slow_page_is_refused() -> None:
    data = pdf_with_content(text_lines(100_000))  # 2.8 MB on one page: 25 s of pypdf
    assert len(data) < 30_000
    assert_too_heavy(data)


def test_pdf_with_too_many_pages_is_refused() -> None:
    assert_too_heavy(pdf_with_content(text_lines(3), pages=201))


def test_pdf_whose_pages_are_too_heavy_together_is_refused() -> None:
    assert_too_heavy(pdf_with_content(text_lines(12_000), pages=30))  # 30 x 336 KB


def test_cpu_limit_stops_the_extraction() -> None:
    unchecked = PdfLimits(max_page_bytes=10**10, max_total_bytes=10**10, cpu_seconds=1)
    assert_too_heavy(pdf_with_content(text_lines(100_000)), unchecked)


def test_wall_clock_limit_stops_the_extraction() -> None:
    unchecked = PdfLimits(max_page_bytes=10**10, max_total_bytes=10**10, wall_seconds=1)
    assert_too_heavy(pdf_with_content(text_lines(100_000)), unchecked)


def test_memory_limit_stops_the_extraction(bomb_pdf: bytes) -> None:
    unchecked = PdfLimits(
        max_page_bytes=10**10, max_total_bytes=10**10, memory_bytes=150 * 1024 * 1024
    )
    assert_too_heavy(bomb_pdf, unchecked)


def test_ordinary_pdf_within_the_limits_is_read() -> None:
    text = extract_pdf_text(pdf_with_content(text_lines(40), pages=3))
    assert text.count("\f") == 2
    assert text.count("Texte lisible") == 120


def test_control_characters_of_a_pdf_page_are_removed() -> None:
    class Page:
        def extract_text(self, extraction_mode: str = "plain") -> str:
            return "Critère\x00 de\x07 performance\x0c"

    assert pdf_worker._page_text(Page()) == "Critère de performance"


def test_heavy_pdf_upload_shows_the_french_error(world, client_for, session, bomb_pdf) -> None:
    client = client_for(world.a.member("coordinator"))
    drafts = session.scalar(select(func.count(FrameworkImport.id)))
    r = upload(client, world.a.slug, "REAC.pdf", bomb_pdf)
    assert r.status_code == 422
    assert TOO_HEAVY in text_of(r)
    assert session.scalar(select(func.count(FrameworkImport.id))) == drafts


# ----------------------------------------------------------------- size limits


def test_json_with_too_many_blocks_is_refused() -> None:
    doc = minimal()
    doc["activites"] = [
        {"numero": n, "intitule": f"Activité {n}", "competences": []} for n in range(1, 102)
    ]
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert "au-delà de 100" in info.value.message


def test_json_with_too_many_competencies_is_refused() -> None:
    doc = minimal()
    doc["activites"] = [
        {
            "numero": b,
            "intitule": f"Activité {b}",
            "competences": [
                {"numero": b * 100 + c, "intitule": f"Compétence {b}-{c}"} for c in range(1, 100)
            ],
        }
        for b in range(1, 7)
    ]
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert info.value.message == (
        "Ce référentiel compte 594 compétences : au-delà de 500, l’import n’est pas possible. "
        "Découpez-le en plusieurs référentiels."
    )


def test_json_with_too_many_criteria_is_refused() -> None:
    doc = minimal()
    comps = doc["activites"][0]["competences"]
    comps[0]["criteres"] = [f"Critère {n}" for n in range(3000)]
    comps.append({"numero": 2, "intitule": "Autre", "criteres": [f"C {n}" for n in range(2001)]})
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert "5\u202f001 critères de performance : au-delà de 5\u202f000" in info.value.message


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("sigle", "S" * 21, "le sigle fait 21 caractères (20 au maximum)"),
        ("intitule", "T" * 301, "l’intitulé du titre fait 301 caractères (300 au maximum)"),
        ("code", "TP-" + "0" * 28, "le code du titre fait 31 caractères (30 au maximum)"),
        ("niveau", "N" * 21, "le niveau fait 21 caractères (20 au maximum)"),
        ("millesime", "M" * 21, "le millésime fait 21 caractères (20 au maximum)"),
    ],
)
def test_json_metadata_longer_than_its_column_is_refused(key, value, message) -> None:
    doc = minimal()
    doc[key] = value
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert info.value.message == f"Texte trop long : {message}."


def test_json_criterion_too_long_and_number_too_big() -> None:
    doc = minimal()
    doc["activites"][0]["competences"][0]["criteres"] = ["x" * 2001]
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert "le critère n° 1 de la compétence CP 1 fait 2\u202f001 caractères" in info.value.message
    doc = minimal()
    doc["activites"][0]["numero"] = 2**40
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert "nombre trop grand (999 au maximum)" in info.value.message


def test_json_sigle_too_long_is_refused_at_upload_not_at_confirm(world, client_for, session):
    doc = minimal()
    doc["sigle"] = "SIGLE-BEAUCOUP-TROP-LONG"
    client = client_for(world.a.member("coordinator"))
    frameworks = session.scalar(select(func.count(Framework.id)))
    r = upload(client, world.a.slug, "grille.json", json.dumps(doc).encode())
    assert r.status_code == 422
    assert "le sigle fait 24 caractères (20 au maximum)" in text_of(r)
    assert session.scalar(select(func.count(Framework.id))) == frameworks


def test_texts_at_the_limits_are_stored(world, client_for, session):
    """Every text at its maximum length passes the preview and the confirmation (on
    PostgreSQL, a String(n) column refuses n + 1 characters)."""
    doc = minimal()
    doc.update(intitule="T" * 300, sigle="S" * 20, code="C" * 30, niveau="N" * 20)
    doc["millesime"] = "M" * 20
    block = doc["activites"][0]
    block["numero"] = 999
    block["intitule"] = "A" * 1000
    block["description"] = "D" * 10_000
    block["competences"][0]["criteres"] = ["K" * 2000]
    client = client_for(world.a.member("coordinator"))
    r = upload(client, world.a.slug, "grille.json", json.dumps(doc).encode())
    assert r.status_code == 303
    draft_id = r.location.rstrip("/").split("/")[-1]
    done = client.post(f"/s/{world.a.slug}/referentiels/importer/{draft_id}/confirmer")
    assert done.status_code == 303
    fw = session.scalar(select(Framework).where(Framework.code == "C" * 30))
    assert (fw.title, fw.acronym, fw.level, fw.vintage) == ("T" * 300, "S" * 20, "N" * 20, "M" * 20)
    assert fw.blocks[0].number == 999 and len(fw.blocks[0].description) == 10_000


def csv_of(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "type_ligne",
            "activite",
            "activite_type",
            "activite_intitule",
            "competence",
            "competence_intitule",
            "categorie",
            "texte",
        ]
    )
    writer.writerow(["titre", "", "", "", "", "", "intitule", "Agent d’entretien"])
    writer.writerows(rows)
    return out.getvalue()


def test_csv_with_too_many_criteria_names_the_line() -> None:
    rows = [
        ["critere", "1", "", "Activité", "CP1", "Compétence", "", f"Critère {n}"]
        for n in range(5001)
    ]
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(csv_of(rows))
    assert info.value.line == 5003
    assert info.value.message.startswith("Ligne 5003 : plus de 5000 critères de performance")


def test_csv_with_too_many_blocks_names_the_line() -> None:
    rows = [["activite", str(n), "", f"Activité {n}", "", "", "", ""] for n in range(1, 102)]
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(csv_of(rows))
    assert info.value.message.startswith("Ligne 103 : plus de 100 activités types")


def test_csv_sigle_too_long_and_bad_numbers() -> None:
    rows = [
        ["titre", "", "", "", "", "", "sigle", "S" * 25],
        ["critere", "1", "", "Activité", "CP1", "Compétence", "", "Critère"],
    ]
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(csv_of(rows))
    assert info.value.message == "Texte trop long : le sigle fait 25 caractères (20 au maximum)."
    for number in ("1234", "²", "9" * 5000):
        rows = [["activite", number, "", "Activité", "", "", "", ""]]
        with pytest.raises(FrameworkFormatError) as info:
            from_csv(csv_of(rows))
        assert info.value.message.startswith("Ligne 3 : numéro d’activité type")


def test_csv_cell_too_long_names_the_line() -> None:
    rows = [["critere", "1", "", "Activité", "CP1", "Compétence", "", "x" * 10_001]]
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(csv_of(rows))
    assert info.value.message.startswith("Ligne 3 : la colonne « texte » contient 10001")


def test_reac_text_with_too_many_criteria_is_refused(eti_txt: str) -> None:
    heading = "Critères de performance"
    start = eti_txt.index(heading) + len(heading)
    extra = "".join(f"\n• Critère ajouté numéro {n}" for n in range(5001))
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(eti_txt[:start] + extra + eti_txt[start:])
    assert "critères de performance : au-delà de 5\u202f000" in info.value.message


def test_reac_text_far_longer_than_a_reac_is_refused(eti_txt: str) -> None:
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(eti_txt + "mot " * 500_000)
    assert info.value.message.startswith("Ce document compte 2\u202f135\u202f")
    assert "au-delà de 2\u202f000\u202f000, l’import n’est pas possible" in info.value.message


def test_reac_text_with_too_many_fiches_is_refused_early() -> None:
    fiche = "FICHE COMPÉTENCE PROFESSIONNELLE N° {n}\nTitre {n}\nCritères de performance\n• C\n\n"
    text = "".join(fiche.format(n=n % 99 + 1) for n in range(501))
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(text)
    assert info.value.message.startswith("Ce référentiel compte 501 fiches compétence")


def test_reac_citing_too_many_unknown_competencies_is_refused(eti_txt: str) -> None:
    heading = "Liste des compétences professionnelles"
    end = eti_txt.index("\n", eti_txt.index(heading))
    cited = "".join(f"\nCompétence inconnue numéro {n}" for n in range(501))
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(eti_txt[:end] + cited + eti_txt[end:])
    assert "501 compétences citées sans fiche : au-delà de 500" in info.value.message


def test_reference_reac_is_within_the_limits(eti_txt: str) -> None:
    fw = parse_reac_text(eti_txt)
    assert limits.check_framework(fw, ValueError) is fw


# ------------------------------------------------------- control characters


def test_reac_text_with_a_nul_character_names_the_line(eti_txt: str) -> None:
    lines = eti_txt.split("\n")
    lines[4] += "\x00"
    with pytest.raises(ReacParseError) as info:
        parse_reac_text("\n".join(lines))
    assert info.value.message.startswith("Ligne 5 : caractère de contrôle interdit")


def test_reac_text_upload_with_a_control_character(eti_txt: str) -> None:
    data = eti_txt.replace("\n", "\n\x1b", 1).encode()
    with pytest.raises(ServiceError) as info:
        read_upload("reac.txt", data)
    assert str(info.value).startswith("Ligne 2 : caractère de contrôle interdit")


def test_csv_with_a_control_character_names_the_line() -> None:
    rows = [["critere", "1", "", "Activité", "CP1", "Compétence", "", "Critère\x00 nul"]]
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(csv_of(rows))
    assert info.value.line == 3
    assert "caractère de contrôle interdit" in info.value.message


def test_json_with_an_escaped_control_character_names_the_line() -> None:
    doc = minimal()
    doc["activites"][0]["intitule"] = "Entretenir\u0000 les locaux"
    text = json.dumps(doc, indent=2)
    with pytest.raises(FrameworkFormatError) as info:
        from_json_text(text)
    expected = text[: text.index("\\u0000")].count("\n") + 1
    assert info.value.message.startswith(f"Ligne {expected} : caractère de contrôle interdit")
    # A backslash followed by "u0000" is ordinary text.
    doc["activites"][0]["intitule"] = "Chemin C:\\u0000"
    assert from_json_text(json.dumps(doc)).blocks[0].title == "Chemin C:\\u0000"


def test_json_dict_with_a_control_character_is_refused() -> None:
    doc = minimal()
    doc["activites"][0]["competences"][0]["criteres"] = ["Le sol\x07 est propre"]
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(doc)
    assert info.value.message == (
        "Caractère de contrôle interdit dans le critère n° 1 de la compétence CP 1."
    )


# ------------------------------------------------------------------ deep JSON


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": "parcours-siae/referentiel", "x": ' + "{" * 100_000,
        '{"a": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001,
    ],
)
def test_deeply_nested_json_gives_a_french_error(text: str) -> None:
    with pytest.raises(FrameworkFormatError) as info:
        from_json_text(text)
    assert "imbrication" in info.value.message or "JSON invalide" in info.value.message


def test_deep_json_upload_is_a_french_error() -> None:
    with pytest.raises(ServiceError) as info:
        # deep enough for the parser's recursion limit, few enough for the count of brackets
        read_upload("x.json", ("[" * 5_000 + "]" * 5_000).encode())
    assert str(info.value) == (
        "JSON invalide : trop de niveaux d’imbrication (accolades ou crochets)."
    )


def test_json_with_a_huge_number_gives_a_french_error() -> None:
    with pytest.raises(FrameworkFormatError) as info:
        from_json_text('{"version": ' + "1" * 5000 + "}")
    assert info.value.message == "JSON invalide : un nombre est beaucoup trop long."


# ------------------------------------------------------------- CSV formulas

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd", "@SUM(1)", "-5 ans", "'=x", "\t=1+1"]


def formula_framework():
    doc = minimal()
    doc["sigle"] = "=1+1"
    doc["activites"][0]["intitule"] = FORMULAS[0]
    comp = doc["activites"][0]["competences"][0]
    comp["intitule"] = "+cmd"
    comp["description"] = "-5 ans"
    comp["criteres"] = list(FORMULAS)
    comp["connaissances"] = {"savoirs": ["@SUM(1)", "'=x"]}
    doc["competences_transversales"] = [{"intitule": "@SUM(2)", "criteres": ["-1"]}]
    return from_json_dict(doc)


def test_csv_export_neutralises_formulas_and_the_round_trip_is_exact() -> None:
    fw = formula_framework()
    exported = to_csv(fw)
    cells = [cell for row in csv.reader(io.StringIO(exported), delimiter=";") for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK" in exported and "'+cmd" in exported and "'@SUM(1)" in exported
    assert "'-5 ans" in exported
    back = from_csv(exported)
    assert to_json_dict(back) == {**to_json_dict(fw), "avertissements": []}
    assert back.blocks[0].title == '=HYPERLINK("http://x","y")'
    assert [c.text for c in back.blocks[0].competencies[0].criteria] == [
        '=HYPERLINK("http://x","y")',
        "+cmd",
        "@SUM(1)",
        "-5 ans",
        "’=x",  # straight apostrophes are typographic in every imported text
        "=1+1",  # tabs are spaces, then trimmed
    ]


def test_csv_typed_in_a_spreadsheet_loses_its_guard() -> None:
    rows = [["critere", "1", "", "'=Activité", "CP1", "'+Compétence", "", "'-5 ans"]]
    fw = from_csv(csv_of(rows))
    assert fw.blocks[0].title == "=Activité"
    assert fw.blocks[0].competencies[0].title == "+Compétence"
    assert fw.blocks[0].competencies[0].criteria[0].text == "-5 ans"


def test_csv_round_trip_of_the_reference_reac_is_exact(eti_txt: str) -> None:
    fw = parse_reac_text(eti_txt)
    expected, back = to_json_dict(fw), to_json_dict(from_csv(to_csv(fw)))
    assert back["activites"] == expected["activites"]
    assert back["competences_transversales"] == expected["competences_transversales"]
