"""Read an uploaded framework file (REAC as PDF or text, or our JSON / CSV format).

The file's kind comes from its first bytes (a PDF) or its extension; a text file is decoded
from the encodings spreadsheets and editors write (:func:`decode_text_upload`), then handed
to the REAC reader or to the exchange format's reader.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from siae_app.services import ServiceError
from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.csv_reader import from_csv
from siae_app.services.frameworks.exchange.json_reader import from_json_text
from siae_app.services.frameworks.pdf_text import PdfTextError, extract_pdf_text
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.tree import ParsedFramework

MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = ".pdf, .txt, .json, .csv"


class TextDecodeError(FrameworkFormatError):
    """An uploaded .txt / .csv file is not readable text."""


def _kind(filename: str, data: bytes) -> str:
    ext = PurePath(filename or "").suffix.lower()
    if data.startswith(b"%PDF") or ext == ".pdf":
        return "pdf"
    return {".txt": "txt", ".text": "txt", ".json": "json", ".csv": "csv"}.get(ext, "")


def read_upload(filename: str, data: bytes) -> tuple[str, ParsedFramework]:
    """Return (source, tree): source "reac" for a REAC (read-only), "structure" otherwise.

    Every problem raises ServiceError with a French message saying what is wrong and where.
    """
    if not data:
        raise ServiceError("Le fichier est vide.", field="file")
    if len(data) > MAX_BYTES:
        size = len(data) / (1024 * 1024)
        raise ServiceError(f"Le fichier fait {size:.1f} Mo : la limite est de 10 Mo.", field="file")
    kind = _kind(filename, data)
    try:
        if kind == "pdf":
            return "reac", parse_reac_text(extract_pdf_text(data))
        if kind == "txt":
            return "reac", parse_reac_text(decode_text_upload(data))
        if kind == "json":
            return "structure", from_json_text(decode_text_upload(data))
        if kind == "csv":
            return "structure", from_csv(decode_text_upload(data))
    except (ReacParseError, PdfTextError, FrameworkFormatError) as exc:
        raise ServiceError(exc.message, field="file") from exc
    raise ServiceError(
        f"Type de fichier non pris en charge : choisissez un fichier {ACCEPTED}.", field="file"
    )


# ------------------------------------------------------------------ text uploads

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text_upload(data: bytes) -> str:
    """Decode an uploaded .txt / .csv file.

    Accepts UTF-8 (with or without BOM) and UTF-16 with BOM (Excel "texte Unicode"),
    then falls back to Windows-1252 and Latin-1. Line endings become ``\\n``. Raises
    :class:`TextDecodeError` (French) for PDF, Office / zip files and binary content.
    """
    if not data:
        return ""
    _refuse_documents(data)
    text = _decode(data)
    if text is None or len(_CONTROL_RE.findall(text)) > max(2, len(text) // 200):
        raise TextDecodeError(
            "Ce fichier ne semble pas être un fichier texte (contenu binaire ou encodage inconnu)."
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_DOCUMENT_MAGICS = (
    (b"%PDF-", "Ce fichier est un PDF et non un fichier texte : utilisez l’import PDF."),
    (
        b"PK\x03\x04",
        "Ce fichier est un classeur ou un document bureautique (.xlsx, .ods, .docx…) : "
        "enregistrez-le au format « CSV UTF-8 » (ou texte .txt), puis réessayez.",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "Ce fichier est un document Office ancien (.xls, .doc) : enregistrez-le au format "
        "« CSV UTF-8 » (ou texte .txt), puis réessayez.",
    ),
)


def _refuse_documents(data: bytes) -> None:
    for magic, message in _DOCUMENT_MAGICS:
        if data.startswith(magic):
            raise TextDecodeError(message)


def _decode(data: bytes) -> str | None:
    """The text of the bytes, or None for binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TextDecodeError("Ce fichier UTF-16 est illisible (encodage invalide).") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise TextDecodeError(
                "Ce fichier annonce l’encodage UTF-8 mais contient des caractères invalides."
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            return None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
