"""Rows of an uploaded spreadsheet (CSV or XLSX) read with bounds: every importer reads
tables through :func:`read_rows` (bytes) or :func:`csv_rows` (text), never through the
``csv`` module or openpyxl directly.

The work follows what is used, not what the file declares:

- rows come one by one and reading stops at the first line past the limit (blank lines do
  not count and cost nothing);
- only the columns up to the last title of the header are kept (at most
  :data:`MAX_COLUMNS`); the cells after it are skipped without being converted;
- an XLSX is opened through :mod:`siae_app.services.archives` (bounded inflation) and its
  XML is read by expat as it streams, by this module: the declared ``<dimension>`` and
  the padding of missing rows or cells that openpyxl does are never done, and a document
  type declaration (where entity bombs live; OOXML has none) is refused.

Pure Python (no Flask, no database). Errors are :class:`SpreadsheetError` (French).
"""

from __future__ import annotations

import csv
import functools
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from siae_app.services import ServiceError
from siae_app.services.archives import DamagedArchive, SafeZip, open_zip

MAX_COLUMNS = 200
MAX_SHEET_ROW = 1_048_576  # the last row of a sheet
MAX_SHEET_COLUMN = 16_384  # XFD
MAX_NUMBER_FORMATS = 1000  # a workbook holds about 250 custom formats at most
MAX_LISTED = 1000  # relationships and sheets looked at (as many as the archive's members)

XLSX_UNREADABLE = "Ce fichier Excel est illisible (format .xlsx attendu)."
CSV_UNREADABLE = (
    "CSV illisible à partir de cette ligne (guillemet non fermé, caractère nul ou cellule "
    "trop longue)."
)


class SpreadsheetError(ServiceError):
    """The table cannot be read, or not within the bounds; ``line`` when one is to blame."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, "file")
        self.line = line


class TooManyLines(SpreadsheetError):
    """More data rows than the limit; raised on the first one beyond (``line``)."""

    def __init__(self, message: str, line: int, limit: int) -> None:
        super().__init__(message, line)
        self.limit = limit


@dataclass(frozen=True)
class Row:
    """A non-blank row: ``number`` as a spreadsheet numbers it, ``line`` the text line
    where it starts (the same, except after a CSV cell written over several lines)."""

    number: int
    line: int
    cells: list[str] = field(default_factory=list)


def french_number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


class _Bounds:
    """The header's width, then the count of data rows against the limit."""

    def __init__(self, max_lines: int, what: str) -> None:
        self.max_lines, self.what = max_lines, what
        self.width: int | None = None  # None until the header is read
        self.data_lines = 0

    def header(self, width: int) -> None:
        if width > MAX_COLUMNS:
            raise SpreadsheetError(
                f"La première ligne (les titres) a des cellules au-delà de la colonne "
                f"{MAX_COLUMNS} : {MAX_COLUMNS} colonnes au plus."
            )
        self.width = width

    def data_row(self, line: int) -> None:
        self.data_lines += 1
        if self.data_lines > self.max_lines:
            n = french_number(self.max_lines)
            raise TooManyLines(
                f"Le fichier contient plus de {n} {self.what} : {n} au maximum par import. "
                "Découpez-le en plusieurs fichiers.",
                line,
                self.max_lines,
            )


def _header_width(cells: list[str]) -> int:
    return max(i for i, cell in enumerate(cells, start=1) if cell.strip())


# ---------------------------------------------------------------------------- CSV


def detect_delimiter(first_line: str) -> str:
    """The most frequent of ``;``, ``,`` and tab on the first line (``;`` on a tie)."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


# A line with its ending (\r\n, \r alone as the old Mac CSV, or \n), or the last one without.
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, as a file opened with ``newline=""`` gives them
    (a StringIO would hold a copy of four bytes a character)."""
    return (match.group() for match in _LINE_RE.finditer(text))


def csv_rows(text: str, *, max_lines: int, what: str = "lignes") -> Iterator[Row]:
    """The header then at most ``max_lines`` data rows of a CSV text, one at a time."""
    reader = csv.reader(_lines(text), delimiter=detect_delimiter(next(_lines(text), "")))
    bounds = _Bounds(max_lines, what)
    number = previous_end = 0
    try:
        for cells in reader:
            number += 1
            line, previous_end = previous_end + 1, reader.line_num
            if _is_blank(cells):
                continue
            if bounds.width is None:
                bounds.header(_header_width(cells))
            else:
                bounds.data_row(line)
            yield Row(number, line, cells[: bounds.width])
    except csv.Error as exc:
        line = reader.line_num
        raise SpreadsheetError(f"Ligne {line} : {CSV_UNREADABLE}", line) from exc


# --------------------------------------------------------------------------- XLSX


@functools.lru_cache(maxsize=256)
def _local(name: str) -> str:
    """``c`` of ``c`` or ``x:c`` (parts are read without namespace processing: the
    prefix is the only difference a real file shows)."""
    return name.rpartition(":")[2]


def _refuse_doctype(*_args: object) -> None:
    raise SpreadsheetError(XLSX_UNREADABLE)


def _parse_part(
    book: SafeZip,
    name: str,
    start: Callable[[str, dict], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    setup: Callable[[expat.XMLParserType], None] | None = None,
) -> None:
    """Stream one XML part of the archive through expat. A document type declaration is
    refused as soon as it starts, so no entity is ever declared (nor expanded)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    if start is not None:
        parser.StartElementHandler = lambda tag, attrs: start(_local(tag), attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(_local(tag))
    if text is not None:
        parser.CharacterDataHandler = text
    if setup is not None:
        setup(parser)
    try:
        for chunk in book.chunks(name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SpreadsheetError(XLSX_UNREADABLE) from exc


def _relationships(book: SafeZip, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, member name) of a part's relationships."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if not book.has(rels_name):
        return found

    def start(tag: str, attrs: dict) -> None:
        if tag == "Relationship" and len(found) < MAX_LISTED:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

    _parse_part(book, rels_name, start)
    return found


@dataclass
class _Workbook:
    sheet: str
    shared_strings: str | None
    styles: str | None
    epoch: object


def _workbook(book: SafeZip) -> _Workbook:
    main = next(
        (t for kind, t in _relationships(book, "").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    if not book.has(main):
        raise SpreadsheetError(XLSX_UNREADABLE)
    sheet_ids: list[str] = []
    epoch = [CALENDAR_WINDOWS_1900]

    def start(tag: str, attrs: dict) -> None:
        if tag == "sheet" and len(sheet_ids) < MAX_LISTED:
            sheet_ids.append(next((v for k, v in attrs.items() if _local(k) == "id"), ""))
        elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            epoch[0] = CALENDAR_MAC_1904

    _parse_part(book, main, start)
    rels = _relationships(book, main)
    sheets = [rels[i][1] for i in sheet_ids if rels.get(i, ("",))[0].endswith("/worksheet")]
    if not sheets or not book.has(sheets[0]):
        raise SpreadsheetError(XLSX_UNREADABLE)

    def part(kind: str) -> str | None:
        return next((t for k, t in rels.values() if k.endswith(kind) and book.has(t)), None)

    return _Workbook(sheets[0], part("/sharedStrings"), part("/styles"), epoch[0])


def _column(ref: str | None, previous: int) -> int:
    """1-based column of a cell reference ("AB12"); the next one when it has none."""
    if not ref:
        if previous >= MAX_SHEET_COLUMN:
            raise SpreadsheetError(XLSX_UNREADABLE)
        return previous + 1
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif not "0" <= char <= "9":
            raise SpreadsheetError(XLSX_UNREADABLE)
        if number > MAX_SHEET_COLUMN:
            raise SpreadsheetError(XLSX_UNREADABLE)
    if number == 0:
        raise SpreadsheetError(XLSX_UNREADABLE)
    return number


# (type, style, raw text) of a kept cell, by column
RawRow = dict[int, tuple[str | None, str | None, str]]


class _SheetReader:
    """Keeps the raw cells of the header and of at most ``max_lines`` data rows.

    Columns grow along a row, so once a cell lies past the header's last title (or past
    :data:`MAX_COLUMNS` before the header), so does the rest of the row: until ``</row>``
    only end tags reach Python, and no cell is converted."""

    def __init__(self, bounds: _Bounds) -> None:
        self.bounds = bounds
        self.rows: list[tuple[int, RawRow]] = []
        self.row_number = 0
        self.column = 0
        self.cells: RawRow = {}
        self.cell: tuple[int, str | None, str | None] | None = None
        self.buffer: list[str] = []
        self.collect = self.in_inline = self.in_phonetic = self.cut = False
        self.parser: expat.XMLParserType | None = None

    def attach(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text

    def _skip_rest_of_row(self) -> None:
        self.cut = True
        self.parser.StartElementHandler = None
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = self._end_while_skipping

    def _end_while_skipping(self, tag: str) -> None:
        if _local(tag) == "row":
            self.attach(self.parser)
            self._close_row()

    def start(self, tag: str, attrs: dict) -> None:
        tag = _local(tag)
        if tag == "c":
            self._open_cell(attrs)
        elif self.cell is None:
            if tag == "row":
                self._open_row(attrs.get("r"))
        elif tag == "v" or (tag == "t" and self.in_inline and not self.in_phonetic):
            self.collect = True
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.in_phonetic = True

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag in ("v", "t"):
            self.collect = False
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "c":
            self._close_cell()
        elif tag == "row":
            self._close_row()

    def text(self, data: str) -> None:
        if self.collect:
            self.buffer.append(data)

    def _open_row(self, ref: str | None) -> None:
        number = _int(ref) if ref else self.row_number + 1
        if not self.row_number < number <= MAX_SHEET_ROW:
            raise SpreadsheetError(XLSX_UNREADABLE)
        self.row_number, self.column, self.cells, self.cut = number, 0, {}, False

    def _open_cell(self, attrs: dict) -> None:
        column = _column(attrs.get("r"), self.column)
        if column <= self.column:
            raise SpreadsheetError(XLSX_UNREADABLE)
        self.column = column
        if column > (self.bounds.width or MAX_COLUMNS):
            self.cell = None
            self._skip_rest_of_row()
        else:
            self.cell = (column, attrs.get("t"), attrs.get("s"))
            self.buffer = []

    def _close_cell(self) -> None:
        if self.cell is None:
            return
        column, kind, style = self.cell
        raw = "".join(self.buffer)
        self.cell, self.buffer = None, []
        if raw.strip():
            self.cells[column] = (kind, style, raw)

    def _close_row(self) -> None:
        if not self.cells:
            return
        if self.bounds.width is None:
            # cells cut past MAX_COLUMNS on the header: a title may be among them
            self.bounds.header(MAX_COLUMNS + 1 if self.cut else max(self.cells))
        else:
            self.bounds.data_row(self.row_number)
        self.rows.append((self.row_number, self.cells))
        self.cells = {}


def _shared_strings(book: SafeZip, part: str | None, wanted: set[int]) -> dict[int, str]:
    """The shared strings the kept cells use, and only them."""
    found: dict[int, str] = {}
    if part is None or not wanted:
        return found
    state = {"index": -1, "collect": False, "phonetic": False}
    buffer: list[str] = []

    def start(tag: str, _attrs: dict) -> None:
        if tag == "si":
            state["index"] += 1
            buffer.clear()
        elif tag == "rPh":
            state["phonetic"] = True
        elif tag == "t" and not state["phonetic"] and state["index"] in wanted:
            state["collect"] = True

    def end(tag: str) -> None:
        if tag == "t":
            state["collect"] = False
        elif tag == "rPh":
            state["phonetic"] = False
        elif tag == "si" and state["index"] in wanted:
            found[state["index"]] = "".join(buffer)

    def text(data: str) -> None:
        if state["collect"]:
            buffer.append(data)

    _parse_part(book, part, start, end, text)
    return found


def _date_styles(book: SafeZip, part: str | None, wanted: set[int]) -> set[int]:
    """Which of the wanted cell styles show a date."""
    dates: set[int] = set()
    if part is None or not wanted:
        return dates
    custom: dict[int, str] = {}
    state = {"in_xfs": False, "index": -1}

    def start(tag: str, attrs: dict) -> None:
        if tag == "numFmt":
            if len(custom) >= MAX_NUMBER_FORMATS:
                raise SpreadsheetError(XLSX_UNREADABLE)
            custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            state["index"] += 1
            if state["index"] in wanted:
                fmt_id = _int(attrs.get("numFmtId") or "0")
                code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or ""
                if is_date_format(code):
                    dates.add(state["index"])

    def end(tag: str) -> None:
        if tag == "cellXfs":
            state["in_xfs"] = False

    _parse_part(book, part, start, end)
    return dates


def _int(text: str | None) -> int:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise SpreadsheetError(XLSX_UNREADABLE)
    return int(text)


def _number_text(raw: str, is_date: bool, epoch: object) -> str:
    try:
        number = float(raw)
    except ValueError:
        raise SpreadsheetError(XLSX_UNREADABLE) from None
    if is_date:
        try:
            return from_excel(number, epoch).strftime("%d/%m/%Y")
        except (OverflowError, ValueError):
            pass  # not a date a calendar holds: shown as the number
    return str(int(number)) if number.is_integer() else str(number)


def _text(cell, strings: dict[int, str], dates: set[int], epoch: object) -> str:
    kind, style, raw = cell
    if kind == "s":
        return strings.get(_int(raw), "")
    if kind in ("inlineStr", "str", "e"):
        return raw
    if kind == "b":
        return "VRAI" if raw.strip() in ("1", "true") else "FAUX"
    if kind == "d":
        try:
            return date.fromisoformat(raw.strip()[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return raw
    return _number_text(raw, style is not None and _int(style) in dates, epoch)


def _xlsx_rows(data: bytes, bounds: _Bounds) -> list[Row]:
    """Read at once (the sheet first, then only the strings and styles its kept cells use):
    what is kept is bounded by the limit of lines and the header's width."""
    with open_zip(data) as book:
        parts = _workbook(book)
        sheet = _SheetReader(bounds)
        _parse_part(book, parts.sheet, setup=sheet.attach)
        cells = [c for _, raw_row in sheet.rows for c in raw_row.values()]
        strings = _shared_strings(
            book, parts.shared_strings, {_int(raw) for kind, _, raw in cells if kind == "s"}
        )
        dates = _date_styles(
            book,
            parts.styles,
            {_int(style) for kind, style, _ in cells if kind in (None, "n") and style},
        )
    rows = []
    for number, raw_row in sheet.rows:
        values = [""] * max(raw_row)
        for column, cell in raw_row.items():
            values[column - 1] = _text(cell, strings, dates, parts.epoch)
        if not _is_blank(values):
            rows.append(Row(number, number, values))
    return rows


# ------------------------------------------------------------------------ entry point


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(filename: str, data: bytes, *, max_lines: int, what: str) -> Iterator[Row]:
    """The header row then at most ``max_lines`` data rows of a .csv/.txt or .xlsx file.

    Raises :class:`SpreadsheetError` or :class:`~siae_app.services.archives.ArchiveError`
    (both :class:`ServiceError` on the field ``file``), for a CSV while iterating."""
    name = (filename or "").lower()
    bounds = _Bounds(max_lines, what)
    if name.endswith(".xlsx"):
        try:
            return iter(_xlsx_rows(data, bounds))
        except DamagedArchive as exc:
            raise SpreadsheetError(XLSX_UNREADABLE) from exc
    if name.endswith((".csv", ".txt")):
        return csv_rows(decode_text(data), max_lines=max_lines, what=what)
    raise SpreadsheetError("Format non reconnu : envoyez un fichier .csv ou .xlsx.")
