"""Signed, expiring, single-use links for invitations and password resets."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from siae_app.models import User

INVITATION = "invitation"
RESET = "password-reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"siae-{purpose}")


def _fingerprint(user: User) -> str:
    # Changes as soon as the password is set: a link works once.
    material = f"{user.password_hash or '-'}|{user.session_nonce}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": str(user.id), "f": _fingerprint(user)})


class TokenError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_token(token: str, purpose: str, max_age: timedelta, load_user) -> User:
    """Return the user the link was made for, or raise TokenError with a French message."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise TokenError("Ce lien a expiré. Demandez-en un nouveau.") from exc
    except BadSignature as exc:
        raise TokenError("Ce lien n'est pas valide.") from exc
    try:
        user = load_user(uuid.UUID(data["u"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError("Ce lien n'est pas valide.") from exc
    if user is None or data.get("f") != _fingerprint(user):
        raise TokenError("Ce lien a déjà été utilisé ou n'est plus valide.")
    return user
