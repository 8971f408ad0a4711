"""Read an uploaded framework file (REAC as PDF or text, or our JSON / CSV format)."""

from __future__ import annotations

from pathlib import PurePath

from siae_app.services import ServiceError
from siae_app.services.frameworks.exchange import (
    FrameworkFormatError,
    decode_text_upload,
    from_csv,
    from_json_text,
)
from siae_app.services.frameworks.pdf_text import PdfTextError, extract_pdf_text
from siae_app.services.frameworks.reac import ParsedFramework, ReacParseError, parse_reac_text

MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = ".pdf, .txt, .json, .csv"


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
