"""Flask-Login wiring: cookies carry the user id and a nonce rotated at sign-out; a signed
"known device" cookie remembers which accounts signed in successfully on this browser."""

from __future__ import annotations

import hashlib
import time
import uuid

from flask import Flask, current_app, request, session
from flask_login import login_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from siae_app.extensions import db, login_manager
from siae_app.models import User

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
        user = db.session.scalar(select(User).where(User.id == uid))
        if user is None or not nonce or user.session_nonce != nonce or not user.is_active:
            return None
        return user


def start_session(user: User) -> None:
    session.clear()  # no fixation: a fresh session at sign-in
    login_user(user)
    session["started_at"] = time.time()
    session.permanent = True


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
