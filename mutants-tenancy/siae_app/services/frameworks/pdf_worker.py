"""PDF → text in a child process with bounded memory and CPU (run by ``pdf_text``).

Run as a script (``python -I pdf_worker.py MAX_PAGES MAX_PAGE_BYTES MAX_TOTAL_BYTES
MEMORY_BYTES CPU_SECONDS``): it reads the PDF on stdin, lowers its own limits
(``RLIMIT_AS``, ``RLIMIT_CPU``) before touching the document, and writes one JSON object
on stdout: ``{"text": ...}`` or ``{"error": <French message>}``. It depends on the standard
library and pypdf only (no package import: a fresh interpreter starts fast).

Before extracting, the page count and the decoded size of every page's content stream
are checked: a small PDF can hold a huge compressed content stream that would keep a
worker busy for minutes.

Each page is extracted in pypdf's *layout* mode, which keeps the vertical gaps of the
page as blank lines (the REAC parser uses them to separate knowledge groups and
paragraphs); indentation and column padding are then squeezed to single spaces. When
layout mode fails or loses text on a page, the page falls back to pypdf's plain mode.
Control characters (from broken font encodings) are removed. Pages are separated by a
form feed (``"\\f"``) on its own line.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys

__all__ = ["TOO_HEAVY", "WorkerError", "extract", "main"]

TOO_HEAVY = (
    "Ce PDF est trop lourd ou trop complexe pour être lu (plus de {pages} pages ou contenu "
    "trop volumineux). Exportez le texte du REAC (fichier .txt, par exemple avec « Enregistrer "
    "sous… » > Texte), puis importez ce fichier texte."
)
DAMAGED = "Ce PDF est illisible ou endommagé."
_MIN_LETTERS = 30
_SPACES_RE = re.compile(r"[ \t\u00a0]{2,}")
# Every C0 control but tab and line feed (a form feed is our page separator), DEL, C1.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

logger = logging.getLogger(__name__)


class WorkerError(Exception):
    """A French, user-facing reason why the PDF gives no text."""

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
        return _CONTROL_RE.sub("", plain)
    if _letters(layout) >= 0.95 * _letters(plain):
        return _CONTROL_RE.sub("", layout)
    return _CONTROL_RE.sub("", plain)


def _open(data: bytes):  # noqa: ANN202 - a pypdf PdfReader, imported lazily
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = list(reader.pages)
    except WorkerError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise WorkerError(
            "Ce PDF est protégé : enregistrez-en une copie non protégée, puis réessayez."
        ) from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise WorkerError(DAMAGED) from exc
    return pages


def _decrypt(reader) -> None:  # noqa: ANN001 - pypdf PdfReader
    from pypdf.errors import DependencyError

    try:
        unlocked = reader.decrypt("")
    except DependencyError as exc:
        raise WorkerError(
            "Ce PDF est chiffré avec un algorithme non pris en charge : enregistrez-en une "
            "copie non protégée, puis réessayez."
        ) from exc
    if not unlocked:
        raise WorkerError(
            "Ce PDF est protégé par un mot de passe : enregistrez-en une copie non protégée, "
            "puis réessayez."
        )


def _content_size(page) -> int:  # noqa: ANN001 - pypdf PageObject
    """Decoded size of the page's content stream(s), in bytes."""
    try:
        contents = page.get_contents()
        return len(contents.get_data()) if contents is not None else 0
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken stream: the page is unreadable
        raise WorkerError(DAMAGED) from exc


def check_size(pages: list, max_pages: int, max_page_bytes: int, max_total_bytes: int) -> None:
    """Refuse too many pages, or content streams too big to be read in reasonable time."""
    too_heavy = WorkerError(TOO_HEAVY.format(pages=max_pages))
    if len(pages) > max_pages:
        raise too_heavy
    total = 0
    for page in pages:
        size = _content_size(page)
        total += size
        if size > max_page_bytes or total > max_total_bytes:
            raise too_heavy


def extract(data: bytes, *, max_pages: int, max_page_bytes: int, max_total_bytes: int) -> str:
    """The text of a PDF, pages separated by ``"\\n\\f\\n"``; WorkerError (French) otherwise."""
    pages = _open(data)
    if not pages:
        raise WorkerError("Ce PDF ne contient aucune page.")
    check_size(pages, max_pages, max_page_bytes, max_total_bytes)
    texts: list[str] = []
    for page in pages:
        try:
            texts.append(_page_text(page))
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise WorkerError(
                "Le texte de ce PDF n’a pas pu être extrait (fichier endommagé ?)."
            ) from exc
    text = "\n\f\n".join(texts)
    if _letters(text) < _MIN_LETTERS:
        raise WorkerError("Ce PDF ne contient pas de texte exploitable (document scanné ?)")
    return text


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def main(argv: list[str]) -> int:
    max_pages, max_page_bytes, max_total_bytes, memory_bytes, cpu_seconds = map(int, argv)
    _limit_resources(memory_bytes, cpu_seconds)
    data = sys.stdin.buffer.read()
    try:
        text = extract(
            data,
            max_pages=max_pages,
            max_page_bytes=max_page_bytes,
            max_total_bytes=max_total_bytes,
        )
        result = {"text": text}
    except WorkerError as exc:
        result = {"error": exc.message}
    except MemoryError:
        result = {"error": TOO_HEAVY.format(pages=max_pages)}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
