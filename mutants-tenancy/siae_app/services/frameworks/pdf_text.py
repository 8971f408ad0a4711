"""Text extraction from PDF uploads (REAC documents), with French error messages.

pypdf runs in a child process (:mod:`siae_app.services.frameworks.pdf_worker`) with a
memory limit (``RLIMIT_AS``), a CPU limit (``RLIMIT_CPU``) and a wall-clock timeout, after
checking the page count and the decoded size of each page's content: a small crafted PDF
cannot hold a web worker for long nor eat its memory. Any of these limits gives the same
French « trop lourd ou trop complexe » error.

Pages are separated by a form feed (``"\\f"``) on its own line, which the REAC parser
treats as a page break (used to drop running headers and footers). See ``pdf_worker``
for the extraction itself (layout mode, plain-mode fallback, control characters removed).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from siae_app.services.frameworks import pdf_worker

__all__ = ["PdfLimits", "PdfTextError", "extract_pdf_text"]

MAX_PAGES = 200
WORKER = Path(pdf_worker.__file__).resolve()

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfLimits:
    """What one extraction may use (the defaults fit a REAC of a few hundred pages)."""

    max_pages: int = MAX_PAGES
    # Decoded content streams: a REAC page holds 10 to 50 KB; pypdf's layout mode slows
    # down faster than linearly on a big page (0.5 MB of text operators: about 3 s).
    max_page_bytes: int = 512 * 1024
    max_total_bytes: int = 8 * 1024 * 1024
    memory_bytes: int = 768 * 1024 * 1024  # address space of the child process
    cpu_seconds: int = 15
    wall_seconds: float = 20.0


class PdfTextError(ValueError):
    """The PDF cannot be turned into text; ``message`` is a French, user-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def extract_pdf_text(
    data: bytes, *, max_pages: int = MAX_PAGES, limits: PdfLimits | None = None
) -> str:
    """Return the text of a PDF, pages separated by ``"\\n\\f\\n"``.

    Raises :class:`PdfTextError` for an empty / non-PDF / damaged / password-protected
    file, a PDF too heavy to be read within ``limits`` (pages, content size, memory,
    time), or a PDF without a text layer (scanned document).
    """
    if not data:
        raise PdfTextError("Le fichier est vide.")
    if b"%PDF-" not in data[:1024]:
        raise PdfTextError("Ce fichier n’est pas un PDF valide.")
    if limits is None:
        limits = PdfLimits(max_pages=max_pages)
    result = _run_worker(data, limits)
    if "error" in result:
        raise PdfTextError(str(result["error"]))
    return str(result["text"])


def _too_heavy(limits: PdfLimits) -> PdfTextError:
    return PdfTextError(pdf_worker.TOO_HEAVY.format(pages=limits.max_pages))


def _run_worker(data: bytes, limits: PdfLimits) -> dict[str, object]:
    args = [
        limits.max_pages,
        limits.max_page_bytes,
        limits.max_total_bytes,
        limits.memory_bytes,
        limits.cpu_seconds,
    ]
    command = [sys.executable, "-I", str(WORKER), *map(str, args)]
    try:
        done = subprocess.run(  # noqa: S603 - our own script, no shell, fixed arguments
            command, input=data, capture_output=True, timeout=limits.wall_seconds, check=False
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise _too_heavy(limits) from exc
    if done.returncode != 0:  # killed by RLIMIT_CPU (SIGXCPU), out of memory...
        logger.warning("PDF worker failed (%s): %s", done.returncode, done.stderr[-500:])
        raise _too_heavy(limits)
    try:
        result = json.loads(done.stdout)
    except ValueError as exc:
        raise _too_heavy(limits) from exc
    if not isinstance(result, dict) or not ("text" in result or "error" in result):
        raise _too_heavy(limits)
    return result
