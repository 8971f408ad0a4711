"""Rules every download follows: spreadsheet-safe cells and safe file names.

Pure functions (no Flask, no database), used by every CSV/XLSX export and by the importers
that read our own exports back; ``csv_text`` and ``xlsx_bytes`` write a table with them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A spreadsheet runs a cell starting with one of these as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spaces a spreadsheet may trim when it imports a CSV (LibreOffice's « Trim spaces »): what
# follows them would then run.
TRIMMED = " \u00a0"
GUARD = "'"


def _needs_guard(text: str) -> bool:
    if text.lstrip(TRIMMED)[:1] in FORMULA_STARTS:
        return True
    # A text that already starts with the guard is guarded too, so that reading it back
    # removes exactly one guard: the round trip is exact for every string.
    return text[:1] == GUARD and _needs_guard(text[1:])


def spreadsheet_safe(value):
    """The cell as a spreadsheet must receive it: a text that would run is prefixed with '.

    Numbers are left alone (a negative hour count stays a number).
    """
    if isinstance(value, str) and _needs_guard(value):
        return GUARD + value
    return value


def from_spreadsheet(value: str) -> str:
    """Undo ``spreadsheet_safe`` when reading our own export back."""
    if value[:1] == GUARD and _needs_guard(value[1:]):
        return value[1:]
    return value


def _ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-.")
    return slug[:80] or "export"


def attachment(name: str, extension: str) -> str:
    """A Content-Disposition value (RFC 6266): an ASCII fallback and the UTF-8 name.

    ``name`` may come from user data (a framework's title): quotes, slashes, control
    characters and line breaks never reach the header.
    """
    ext = re.sub(r"[^a-z0-9]", "", extension.lower())[:8]
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\\"]+", " ", name).strip()[:120] or "export"
    fallback = f"{_ascii_slug(cleaned)}.{ext}"
    utf8 = quote(f"{cleaned}.{ext}", safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{utf8}"


# ------------------------------------------------------------------ tables


def _cell(value, decimal_comma: bool):
    """A value as a CSV or XLSX cell: decimals as numbers (with a French comma in CSV), dates
    as JJ/MM/AAAA, None empty, every text through ``spreadsheet_safe``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",") if decimal_comma else float(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return spreadsheet_safe(value)


def csv_text(header: list[str], rows: list[list]) -> str:
    """A table as CSV for a French spreadsheet: ``;`` separated, UTF-8 with its BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_cell(h, True) for h in header])
    for row in rows:
        writer.writerow([_cell(v, True) for v in row])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(title: str, header: list[str], rows: list[list]) -> bytes:
    """A table as one XLSX sheet named ``title``, header in bold and frozen."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([_cell(h, False) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(v, False) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """``csv_text`` written as it goes: the BOM and the header, then one chunk a row (a
    streamed download never holds the whole file)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")

    def line(values) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([_cell(v, True) for v in values])
        return out.getvalue()

    yield "\ufeff" + line(header)
    for row in rows:
        yield line(row)


def xlsx_streamed(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    """``xlsx_bytes`` in openpyxl's write-only mode: rows are written as they come (to a
    temporary file), never held as cells in memory; same sheet, bold frozen header."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=_cell(value, False))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append([_cell(v, False) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_sheets(title: str, sheets: list[tuple[str, list[tuple]]]) -> bytes:
    """Several tables, one sheet each (its first row is its header, in bold); ``title`` is
    the workbook's title property."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title[:200]
    for name, rows in sheets:
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append([_cell(v, False) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
