"""File names of every download (services/exports.py ``attachment``): an ASCII fallback and the
UTF-8 name, nothing of the user's text that could break the header, bounded lengths.

The formula neutralisation is tested with every export in tests/test_export_formulas.py; here,
the guard of a text that starts with spaces, and its exact round trip."""

from __future__ import annotations

import pytest

from siae_app.services.exports import attachment, from_spreadsheet, spreadsheet_safe


def _header(fallback: str, utf8: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{utf8}"


@pytest.mark.parametrize(
    ("name", "extension", "fallback", "utf8"),
    [
        (
            "Bilan Éloïse « été » 2026",
            "PDF",
            "Bilan-Eloise-ete-2026.pdf",
            "Bilan%20%C3%89lo%C3%AFse%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB%202026.pdf",
        ),
        ('a/b\\c"d\x00e\nf\x7fg', "csv", "a-b-c-d-e-f-g.csv", "a%20b%20c%20d%20e%20f%20g.csv"),
        ("Dépôt;liste", "csv", "Depot-liste.csv", "D%C3%A9p%C3%B4t%3Bliste.csv"),
        (".-Nom-.", "csv", "Nom.csv", ".-Nom-..csv"),
        ("Annexe X", "pdf", "Annexe-X.pdf", "Annexe%20X.pdf"),
        ("  rapport  ", "x.l.s.x!", "rapport.xlsx", "rapport.xlsx"),
        ("", "csv", "export.csv", "export.csv"),
        ("\x01\x02", "csv", "export.csv", "export.csv"),
        ("«»", "csv", "export.csv", "%C2%AB%C2%BB.csv"),
    ],
)
def test_a_download_is_named_in_ascii_and_in_utf8(name, extension, fallback, utf8):
    assert attachment(name, extension) == _header(fallback, utf8)


def test_names_and_extensions_are_cut_to_their_lengths():
    header = attachment("é" * 10 + "x" * 200, "abcdefghijk")
    assert header == _header(
        "e" * 10 + "x" * 70 + ".abcdefgh", "%C3%A9" * 10 + "x" * 110 + ".abcdefgh"
    )


def test_a_workbook_of_several_sheets_keeps_its_figures_and_reads_well():
    import io
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook

    from siae_app.services.exports import xlsx_sheets

    title = "Rapport " + "x" * 250
    long_name = "Sorties par catégorie et par trimestre"  # 38 characters
    data = xlsx_sheets(
        title,
        [
            ("Chiffres", [("Indicateur", "Valeur"), ("Heures", Decimal("12.5")), ("=1+1", None)]),
            (long_name, [("Jour",), (date(2025, 3, 1),)]),
        ],
    )
    book = load_workbook(io.BytesIO(data))
    assert book.properties.title == title[:200]
    assert book.sheetnames == ["Chiffres", long_name[:31]]
    sheet = book["Chiffres"]
    assert [c.value for c in sheet[2]] == ["Heures", 12.5]  # a number, not « 12,5 » as text
    assert sheet["A3"].value == "'=1+1" and sheet["B3"].value is None  # no formula runs
    assert all(c.font.bold for c in sheet[1]) and not any(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert book[long_name[:31]]["A2"].value == "01/03/2025"


def test_cells_of_a_csv_say_numbers_dates_and_nothing_as_a_french_spreadsheet_reads_them():
    from datetime import date
    from decimal import Decimal

    from siae_app.services.exports import csv_text

    text = csv_text(
        ["Nom", "Heures", "Jour", "Vide"],
        [
            ["Durand", Decimal("1E+2"), date(2025, 3, 1), None],
            ["=SOMME(A1)", Decimal("7.50"), None, ""],
        ],
    )
    lines = text.lstrip("\ufeff").splitlines()
    assert lines == ["Nom;Heures;Jour;Vide", "Durand;100;01/03/2025;", "'=SOMME(A1);7,50;;"]


def test_a_one_sheet_workbook_has_its_header_in_bold_and_frozen():
    import io
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook

    from siae_app.services.exports import xlsx_bytes

    title = "Heures travaillées du mois de mars"  # 34 characters
    rows = [["Durand", Decimal("7.5")], [None, date(2025, 3, 1)]]
    data = xlsx_bytes(title, ["Nom", "Heures"], rows)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == title[:31]
    assert [c.value for c in sheet[1]] == ["Nom", "Heures"]
    assert all(c.font.bold for c in sheet[1]) and not any(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == ["Durand", 7.5]
    assert [c.value for c in sheet[3]] == [None, "01/03/2025"]


@pytest.mark.parametrize(
    ("typed", "guarded"),
    [
        ("=1+1", True),
        (" =1+1", True),  # a spreadsheet trimming the space would run it
        ("   +1", True),
        ("\u00a0@SUM(1)", True),
        (" \u00a0 -1", True),
        ("a =1+1", False),  # not at the start
        ("  texte", False),
        ("   ", False),
        ("", False),
        ("\n=1", False),  # a line break is not trimmed: the cell starts with text
    ],
)
def test_formula_starts_after_spaces_are_guarded_and_read_back_exactly(typed, guarded):
    safe = spreadsheet_safe(typed)
    assert safe == ("'" + typed if guarded else typed)
    assert from_spreadsheet(safe) == typed
    # a text that starts with the guard itself keeps an exact round trip
    assert from_spreadsheet(spreadsheet_safe("'" + typed)) == "'" + typed
