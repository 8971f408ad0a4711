"""Rules every download follows: spreadsheet-safe cells and safe file names.

Pure functions (no Flask, no database), used by every CSV/XLSX export and by the importers
that read our own exports back.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# A spreadsheet runs a cell starting with one of these as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def _needs_guard(text: str) -> bool:
    if text[:1] in FORMULA_STARTS:
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
