"""Domain operations: plain functions that flush and never commit (the request commits)."""

import re

# Control characters (NUL and the like) break databases and exports; tab and line breaks are
# ordinary in multi-line fields.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_chars(text: str | None) -> bool:
    return bool(text) and bool(_CONTROL.search(text))


class ServiceError(ValueError):
    """A business rule refused the operation; ``message`` is shown to the user in French.
    ``status`` is the HTTP answer of the form it refuses (a conflict answers 409)."""

    status = 422

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def checked_text(
    value: str | None, field: str, *, missing: str | None = None, max_len: int | None = None
) -> str | None:
    """Free text as typed, stripped: ``missing`` refuses it empty, ``max_len`` too long.
    Empty (and allowed) → None."""
    value = (value or "").strip()
    if not value and missing:
        raise ServiceError(missing, field=field)
    if max_len is not None and len(value) > max_len:
        raise ServiceError(f"{max_len} caractères au maximum.", field=field)
    return value or None
