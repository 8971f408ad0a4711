"""Spreadsheets and archives built byte by byte: the attack files of the bounded-input tests
and of bench/bounded_inputs.py, and legitimate files to compare them with."""

from __future__ import annotations

import io
import struct
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
    '<sheet name="Salariés" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = "xl/worksheets/sheet1.xml"
HEADER = ("Nom", "Prénom", "Date de naissance")


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def header_row() -> str:
    return row(1, *(cell(f"{col}1", title) for col, title in zip("ABC", HEADER, strict=True)))


def salarie_row(number: int, *extra: str) -> str:
    values = (f"Nom{number}", "Prénom", "01/01/1980")
    return row(
        number, *(cell(f"{c}{number}", v) for c, v in zip("ABC", values, strict=True)), *extra
    )


def sheet_xml(rows: str, dimension: str = "A1:C2", prologue: str = "") -> str:
    return (
        _XML + prologue + f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def xlsx(sheet: str | bytes, *, extra: dict[str, bytes] | None = None, method=None) -> bytes:
    """A one-sheet workbook around ``sheet`` (the XML of xl/worksheets/sheet1.xml)."""
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if method is None else method
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(SHEET, sheet, compress_type=method)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def declared_dimension_attack() -> bytes:
    """The review's file: a header, one line at row 9000, ``<dimension ref="A1:XFD9000"/>``
    (openpyxl padded every row to 16,384 columns: 23 s and 1.2 GB)."""
    return xlsx(sheet_xml(header_row() + salarie_row(9000), dimension="A1:XFD9000"))


def far_cell_rows(lines: int) -> bytes:
    """``lines`` salariés, each row ending with a cell at column XFD."""
    rows = "".join(salarie_row(n, f'<c r="XFD{n}"><v>1</v></c>') for n in range(2, lines + 2))
    return xlsx(sheet_xml(header_row() + rows, dimension=f"A1:XFD{lines + 1}"))


def wide_rows(rows: int, cells: int = 16_384) -> bytes:
    """``rows`` rows of ``cells`` real cells each after the header (XML of 15 bytes a cell)."""
    body = "".join(
        f'<row r="{n}">' + "<c><v>1</v></c>" * cells + "</row>" for n in range(2, rows + 2)
    )
    return xlsx(sheet_xml(header_row() + body, dimension="A1:XFD9"))


def inflating_sheet(megabytes: int) -> bytes:
    """A valid sheet padded with ``megabytes`` Mo of spaces, streamed (never in memory)."""
    out = io.BytesIO()
    start, end = sheet_xml(header_row() + "@@").encode().split(b"@@")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open(SHEET, "w", force_zip64=True) as member:
            member.write(start)
            spaces = b" " * (1024 * 1024)
            for _ in range(megabytes):
                member.write(spaces)
            member.write(salarie_row(2).encode() + end)
    return out.getvalue()


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size replaced by ``size`` in its local
    header and in the central directory (its compressed data left as it is)."""
    encoded = name.encode()
    patched = bytearray(data)
    # (signature, offset of the uncompressed size, of the name's length, of the name)
    headers = ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46))
    for signature, size_at, length_at, name_at in headers:
        at = patched.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", patched, at + length_at)[0]
            if bytes(patched[at + name_at : at + name_at + length]) == encoded:
                struct.pack_into("<I", patched, at + size_at, size)
            at = patched.find(signature, at + 4)
    return bytes(patched)


def entity_bomb() -> bytes:
    """A sheet whose cell expands a billion-laughs entity (10^9 characters if expanded)."""
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    prologue = "<!DOCTYPE worksheet [" + "".join(entities) + "]>"
    body = header_row() + row(2, cell("A2", "&a9;"), cell("B2", "x"), cell("C2", "01/01/1980"))
    return xlsx(sheet_xml(body, prologue=prologue))


def csv_lines(lines: int) -> bytes:
    body = "".join(f"Nom{n};Prénom;01/01/1980\n" for n in range(lines))
    return ("Nom;Prénom;Date de naissance\n" + body).encode()


def legit_xlsx(lines: int) -> bytes:
    """``lines`` salariés written by openpyxl (shared strings, real dates)."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    for n in range(lines):
        sheet.append([f"Nom{n}", "Prénom", datetime(1980, 1, 1 + n % 28)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
