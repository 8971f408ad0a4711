"""Signed, expiring, single-use links for invitations and password resets.

A token is a signed payload (purpose-specific salt) carrying ids and a fingerprint of the
state the link was made for; when that state changes (password set, invitation accepted,
cancelled or made again), the fingerprint no longer matches and the link is dead.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVITATION = "invitation"
RESET = "password-reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"siae-{purpose}")


def fingerprint(*parts: object) -> str:
    material = "|".join("-" if p is None else str(p) for p in parts).encode()
    return hashlib.sha256(material).hexdigest()[:24]


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


class TokenError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


INVALID = "Ce lien n'est pas valide."
USED = "Ce lien a déjà été utilisé ou n'est plus valide."


def read_token(token: str, purpose: str, max_age: timedelta) -> dict:
    """The payload of a genuine, unexpired link; else TokenError with a French message."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise TokenError("Ce lien a expiré. Demandez-en un nouveau.") from exc
    except BadSignature as exc:
        raise TokenError(INVALID) from exc
    if not isinstance(data, dict):
        raise TokenError(INVALID)
    return data
