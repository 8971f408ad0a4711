"""Flask-Login wiring: cookies carry the user id and a nonce rotated at sign-out, and the id of
the session's row (``user_sessions``: ended there, the cookie is refused); a signed "known
device" cookie remembers which accounts signed in successfully on this browser, another the
browser trusted for the second factor (its token's digest in ``trusted_devices``)."""

from __future__ import annotations

import hashlib
import time
import uuid

from flask import Flask, current_app, request, session
from flask_login import login_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, select

from siae_app.extensions import db, login_manager
from siae_app.models import User, UserSession
from siae_app.services.accounts import sessions as user_sessions

SESSION_ROW = "session_row"  # the Flask session's key for the id of its ``user_sessions`` row

KNOWN_DEVICE_ACCOUNTS = 5  # accounts remembered per browser


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    # Flask-Login's "strong" protection does nothing for permanent sessions (ours are), so
    # it is off rather than an illusion. What protects a session: the per-user nonce in the
    # cookie (rotated at sign-out and password change, checked by the loader below), the
    # 30-minute idle and 12-hour absolute limits, and a fresh session at each sign-in.
    login_manager.session_protection = None

    @login_manager.user_loader
    def _load_user(value: str) -> User | None:
        user_id, _, nonce = value.partition(":")
        try:
            uid = uuid.UUID(user_id)
        except ValueError:
            return None
        row_id = _row_id()
        if row_id is False:
            return None
        # One query for the person and the session's row (no more than before the rows).
        found = db.session.execute(
            select(User, UserSession)
            .outerjoin(UserSession, and_(UserSession.id == row_id, UserSession.user_id == User.id))
            .where(User.id == uid)
        ).first()
        if found is None:
            return None
        user, row = found
        if not nonce or user.session_nonce != nonce or not user.is_active:
            return None
        if row_id is not None:
            # A session started since the rows exist must have its row, not ended.
            if row is None or row.ended_at is not None:
                return None
            user_sessions.seen(db.session, row)
        return user


def _row_id() -> uuid.UUID | None | bool:
    """The session row's id; None for a session started before the rows; False: unreadable."""
    raw = session.get(SESSION_ROW)
    if raw is None:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return False


def current_row_id() -> uuid.UUID | None:
    row_id = _row_id()
    return row_id if isinstance(row_id, uuid.UUID) else None


def start_session(user: User) -> None:
    session.clear()  # no fixation: a fresh session at sign-in
    login_user(user)
    row = user_sessions.open_session(db.session, user, request.headers.get("User-Agent"))
    session[SESSION_ROW] = str(row.id)
    session["started_at"] = time.time()
    session.permanent = True


# ------------------------------------------------------------------ trusted devices


def trusted_token() -> str | None:
    """The token of the browser remembered for the second factor, if its cookie is sound."""
    raw = request.cookies.get(current_app.config["TRUSTED_DEVICE_COOKIE"])
    if not raw:
        return None
    try:
        token = _trusted_serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def _trusted_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="siae-trusted-device")


def set_trusted_cookie(response, token: str, days: int):
    cfg = current_app.config
    response.set_cookie(
        cfg["TRUSTED_DEVICE_COOKIE"],
        _trusted_serializer().dumps(token),
        max_age=days * 24 * 3600,
        httponly=True,
        secure=cfg.get("SESSION_COOKIE_SECURE", False),
        samesite="Lax",
    )
    return response


# ------------------------------------------------------------------ known devices


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="siae-known-device")


def _account_tag(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def _known_tags() -> list[str]:
    raw = request.cookies.get(current_app.config["KNOWN_DEVICE_COOKIE"])
    if not raw:
        return []
    try:
        tags = _device_serializer().loads(raw)
    except BadSignature:
        return []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def is_known_device(email: str) -> bool:
    """Did this browser already sign in successfully to the account of ``email``?"""
    return _account_tag(email) in _known_tags()


def remember_device(response, email: str):
    """Mark this browser as known for the account (after a successful sign-in)."""
    cfg = current_app.config
    tag = _account_tag(email)
    tags = [tag, *[t for t in _known_tags() if t != tag]][:KNOWN_DEVICE_ACCOUNTS]
    response.set_cookie(
        cfg["KNOWN_DEVICE_COOKIE"],
        _device_serializer().dumps(tags),
        max_age=int(cfg["KNOWN_DEVICE_MAX_AGE"].total_seconds()),
        httponly=True,
        secure=cfg.get("SESSION_COOKIE_SECURE", False),
        samesite="Lax",
    )
    return response
