"""Text extraction from PDF uploads (REAC documents), with French error messages.

Uses pypdf. Each page is extracted in pypdf's *layout* mode, which keeps the vertical
gaps of the page as blank lines (the REAC parser uses them to separate knowledge
groups and paragraphs); indentation and column padding are then squeezed to single
spaces. When layout mode fails or loses text on a page, the page falls back to pypdf's
plain mode. Pages are separated by a form feed (``"\\f"``) on its own line, which the
REAC parser treats as a page break (used to drop running headers and footers).
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

__all__ = ["PdfTextError", "extract_pdf_text"]

MAX_PAGES = 400
_MIN_LETTERS = 30
_SPACES_RE = re.compile(r"[ \t\u00a0]{2,}")

logger = logging.getLogger(__name__)


class PdfTextError(ValueError):
    """The PDF cannot be turned into text; ``message`` is a French, user-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _squeeze_layout(text: str) -> str:
    lines: list[str] = []
    for raw in text.splitlines():
        line = _SPACES_RE.sub(" ", raw.strip())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _page_text(page) -> str:  # noqa: ANN001 - pypdf PageObject
    plain = page.extract_text() or ""
    try:
        layout = _squeeze_layout(page.extract_text(extraction_mode="layout") or "")
    except Exception:  # noqa: BLE001 - layout mode is best effort, plain text is the fallback
        logger.debug("pypdf layout extraction failed, using plain mode", exc_info=True)
        return plain
    if _letters(layout) >= 0.95 * _letters(plain):
        return layout
    return plain


def extract_pdf_text(data: bytes, *, max_pages: int = MAX_PAGES) -> str:
    """Return the text of a PDF, pages separated by ``"\\n\\f\\n"``.

    Raises :class:`PdfTextError` for an empty / non-PDF / damaged / password-protected
    file, a PDF with too many pages, or a PDF without a text layer (scanned document).
    """
    if not data:
        raise PdfTextError("Le fichier est vide.")
    if b"%PDF-" not in data[:1024]:
        raise PdfTextError("Ce fichier n’est pas un PDF valide.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = list(reader.pages)
    except PdfTextError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise PdfTextError(
            "Ce PDF est protégé : enregistrez-en une copie non protégée, puis réessayez."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise PdfTextError("Ce PDF est illisible ou endommagé.") from exc
    if not pages:
        raise PdfTextError("Ce PDF ne contient aucune page.")
    if len(pages) > max_pages:
        raise PdfTextError(
            f"Ce PDF compte {len(pages)} pages : au-delà de {max_pages} pages, "
            "l’import n’est pas possible."
        )
    texts: list[str] = []
    for page in pages:
        try:
            texts.append(_page_text(page))
        except Exception as exc:  # noqa: BLE001
            raise PdfTextError(
                "Le texte de ce PDF n’a pas pu être extrait (fichier endommagé ?)."
            ) from exc
    text = "\n\f\n".join(texts)
    if _letters(text) < _MIN_LETTERS:
        raise PdfTextError("Ce PDF ne contient pas de texte exploitable (document scanné ?)")
    return text


def _decrypt(reader: PdfReader) -> None:
    try:
        unlocked = reader.decrypt("")
    except DependencyError as exc:
        raise PdfTextError(
            "Ce PDF est chiffré avec un algorithme non pris en charge : enregistrez-en une "
            "copie non protégée, puis réessayez."
        ) from exc
    if not unlocked:
        raise PdfTextError(
            "Ce PDF est protégé par un mot de passe : enregistrez-en une copie non protégée, "
            "puis réessayez."
        )
