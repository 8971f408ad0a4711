"""Optimistic concurrency of ``Versioned`` rows: a form carries the version it was loaded at,
and a save made on an older one is refused in French instead of overwriting the other edit.

The salarié's fiche has its own refusal that lists what differs
(``services.employees.identity.StaleEdit``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from siae_app.services import ServiceError

STALE_MESSAGE = (
    "Quelqu'un d'autre a modifié cette fiche pendant que vous l'éditiez. Rechargez la page "
    "pour voir sa version, puis refaites votre modification."
)


def check_version(obj, expected: int | None) -> None:
    """Refuse a save from a form loaded at another version (none sent: not checked)."""
    if expected is not None and obj.version_id != expected:
        raise ServiceError(STALE_MESSAGE, field="version_id")


def flush_or_stale(session: Session) -> None:
    """Flush; a row changed by someone else since it was loaded is a French message."""
    try:
        session.flush()
    except StaleDataError as exc:
        # The failed flush leaves the transaction unusable: roll it back (nothing of this
        # request is kept) so that the form can be shown again with the message.
        session.rollback()
        raise ServiceError(STALE_MESSAGE, field="version_id") from exc
