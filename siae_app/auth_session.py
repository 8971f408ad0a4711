"""Flask-Login wiring: cookies carry the user id and a nonce rotated at sign-out."""

from __future__ import annotations

import time
import uuid

from flask import Flask, session
from flask_login import login_user
from sqlalchemy import select

from siae_app.extensions import db, login_manager
from siae_app.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

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
