"""Jinja globals and filters: permissions, roles and statuses, navigation, versioned static
URLs, French dates and numbers."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user

from siae_app.models import (
    AssessmentStatus,
    AttestationStatus,
    BatchStatus,
    GoalStatus,
    InterviewStatus,
    LearningStatus,
    PassStatus,
    ReviewStatus,
    Role,
    ScheduledReviewStatus,
)
from siae_app.navigation import nav_items, nav_title
from siae_app.permissions.policy import Perm, can


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


# A page names about ten static files: their versions are looked up on disk at most every
# STATIC_RECHECK seconds per file, not on every page (an edited file shows within that time).
# The app's STATIC_RECHECK_SECONDS overrides it (the tests, which edit files, say 0).
STATIC_RECHECK = 2.0
_versions: dict[tuple[str, str], tuple[float, str | None]] = {}


def static_version(filename: str) -> str | None:
    """The first 10 hex digits of the file's SHA-256 (recomputed when the file changes)."""
    folder = current_app.static_folder
    if folder is None:
        return None
    key = (folder, filename)
    now = time.monotonic()
    known = _versions.get(key)
    recheck = current_app.config.get("STATIC_RECHECK_SECONDS", STATIC_RECHECK)
    if known is not None and now - known[0] < recheck:
        return known[1]
    path = Path(folder) / filename
    try:
        st = path.stat()
    except OSError:
        version = None
    else:
        version = _file_digest(str(path), st.st_mtime_ns, st.st_size)
    if len(_versions) > 1024:
        _versions.clear()
    _versions[key] = (now, version)
    return version


def static_url(filename: str) -> str:
    """``/static/<file>?v=<hash>``: a new name whenever the content changes, so browsers may
    keep each version for a year (see web.py)."""
    version = static_version(filename)
    if version is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def draft_owner() -> str:
    """Who a saved draft belongs to (app.js): a keyed hash of the user id, not the id itself.

    The same person gets the same marker after signing in again; another person never does.
    """
    if not current_user.is_authenticated:
        return ""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"draft:{current_user.id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=can,
        Perm=Perm,
        Role=Role,
        # Templates compare a status with its member, never with the stored string.
        AssessmentStatus=AssessmentStatus,
        AttestationStatus=AttestationStatus,
        BatchStatus=BatchStatus,
        GoalStatus=GoalStatus,
        InterviewStatus=InterviewStatus,
        LearningStatus=LearningStatus,
        PassStatus=PassStatus,
        ReviewStatus=ReviewStatus,
        ScheduledReviewStatus=ScheduledReviewStatus,
        nav_items=nav_items,
        nav_title=nav_title,
        static_url=static_url,
        draft_owner=draft_owner,
    )
    app.jinja_env.filters["date_fr"] = date_fr
    app.jinja_env.filters["datetime_fr"] = lambda d, fmt="d MMMM y 'à' HH:mm": (
        format_datetime(d, fmt) if d else ""
    )
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["number_fr"] = number_fr
    app.jinja_env.filters["iso_fr"] = iso_fr
    app.jinja_env.filters["hours_fr"] = hours_fr
    app.jinja_env.filters["de"] = of_fr
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def number_fr(n) -> str:
    """A number as ``format_decimal`` writes it in French (« 1 234,5 »). Whole numbers below
    a thousand are written as they are, without Babel's cost: the pages write hundreds of
    counts."""
    if n is None:
        return ""
    if type(n) is int and -1000 < n < 1000:
        return str(n)
    return format_decimal(n)


def plural(count: int, one: str, many: str) -> str:
    """« 0 compétence », « 1 compétence », « 3 compétences »: French takes the singular
    below 2."""
    count = count or 0
    return f"{number_fr(count)} {one if abs(count) < 2 else many}"


LONG_DATE = "d MMMM y"


def date_fr(day: date | None, fmt: str = LONG_DATE) -> str:
    """« 3 mars 2026 », and « 1er décembre 2026 »: French writes the first of a month as an
    ordinal, which Babel's pattern does not."""
    if not day:
        return ""
    if fmt == LONG_DATE and day.day == 1:
        return format_date(day, "'1er' MMMM y")
    return format_date(day, fmt)


def iso_fr(value: str | None) -> str:
    """An ISO date stored in a frozen document (an attestation's content), in French
    (« 3 mars 2026 », « 1er décembre 2026 »)."""
    return date_fr(date.fromisoformat(value)) if value else ""


# An initial vowel elides « de » (« d'ACI Les Jardins »); an h is left alone, since an
# aspirated h does not elide and nothing in the text tells the two apart.
_ELIDING = frozenset("aeiouyàâäéèêëîïôöùûüœæ")


def of_fr(name: str | None) -> str:
    """« de » and the name, elided before a vowel: « d'ACI Les Jardins », « de L'Établi »."""
    name = (name or "").strip()
    if not name:
        return ""
    return f"d'{name}" if name[0].lower() in _ELIDING else f"de {name}"


def hours_fr(value) -> str:
    """Hours in French, one decimal at most (« 1 234,5 »)."""
    return _hours_text(Decimal(value)) if value is not None else ""


@lru_cache(maxsize=4096)
def _hours_text(value: Decimal) -> str:
    # The same few amounts come back on every line of a grid (7, 3,5...): Babel parses its
    # pattern on each call, so each amount is written once per process (the app is French).
    return format_decimal(value, "#,##0.#")
