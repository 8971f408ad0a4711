"""Signed-in sessions a person sees on « Mes appareils et sessions » and may end.

Each sign-in opens a row; the cookie carries its id, and the user loader refuses a cookie
whose row is ended. ``last_seen_at`` is written at most once a minute, not at each request.
« Se déconnecter partout » ends every row, rotates the person's nonce (every cookie issued
before is refused) and forgets the remembered browsers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from siae_app.models import User, UserSession
from siae_app.models.accounts import new_session_nonce
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts.two_factor import aware, revoke_devices

SEEN_EVERY = timedelta(minutes=1)

# Checked in this order: the first match names the browser, then the system.
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str | None) -> str:
    """« Firefox sur Windows », from the User-Agent header (an unknown one says so)."""
    ua = user_agent or ""
    browser = next((name for key, name in BROWSERS if key in ua), "Navigateur inconnu")
    system = next((name for key, name in SYSTEMS if key in ua), None)
    return f"{browser} sur {system}" if system else browser


def open_session(session: Session, user: User, user_agent: str | None) -> UserSession:
    now = utcnow()
    row = UserSession(
        id=uuid.uuid4(),
        user_id=user.id,
        label=device_label(user_agent)[:120],
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return row


def seen(session: Session, row: UserSession) -> None:
    """Note the session as used now, at most once a minute."""
    now = utcnow()
    if now - aware(row.last_seen_at) >= SEEN_EVERY:
        row.last_seen_at = now
        session.flush()


def active_sessions(session: Session, user: User) -> list[UserSession]:
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def end_session(session: Session, user: User, session_id: uuid.UUID | None) -> None:
    """End one of the person's sessions (nothing if it is not theirs or already ended)."""
    if session_id is None:
        return
    session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    session.flush()


def end_other_session(session: Session, user: User, session_id: uuid.UUID) -> None:
    row = session.scalar(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
        )
    )
    if row is None:
        raise ServiceError("Cette session est déjà terminée.")
    row.ended_at = utcnow()
    session.flush()


def end_everywhere(session: Session, user: User) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    user.session_nonce = new_session_nonce()
    revoke_devices(session, user)
    session.flush()
