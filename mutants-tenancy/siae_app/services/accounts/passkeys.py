"""Passkeys (WebAuthn) as a second way to give the second factor at sign-in.

A person who already uses the TOTP code (so their recovery codes exist) may add passkeys in
« Mon compte »; at sign-in, after the password, one of them replaces the code. They are a
second factor, not a sign-in without a password: no resident key is asked, and the
credentials offered at sign-in are the person's own. The challenges are kept by the caller
(the Flask session) and given back here; the relying party (id and origin) too.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import webauthn
from sqlalchemy import select
from sqlalchemy.orm import Session
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from siae_app.models import Passkey, User
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts.two_factor import ISSUER

REFUSED = "Clé d'accès refusée : réessayez, ou saisissez le code de votre application."
NOT_ADDED = "La clé d'accès n'a pas pu être ajoutée : réessayez."
TOTP_FIRST = (
    "Activez d'abord la double authentification par code : vos codes de secours en dépendent."
)
NONE_ADDED = "Vous n'avez pas de clé d'accès : saisissez le code de votre application."
ALREADY_ADDED = "Cette clé d'accès est déjà enregistrée."
KNOWN_TRANSPORTS = {t.value for t in AuthenticatorTransport}


@dataclass(frozen=True)
class RelyingParty:
    """Who asks: the domain (no port) and the origin the browser must report."""

    id: str
    origin: str


def passkeys_of(session: Session, user: User) -> list[Passkey]:
    return list(
        session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )


def has_passkeys(session: Session, user: User) -> bool:
    found = session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    return found is not None


def _descriptors(keys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=key.credential_id,
            transports=[AuthenticatorTransport(t) for t in key.transports or ()],
        )
        for key in keys
    ]


# ------------------------------------------------------------------ adding one


def registration_options(session: Session, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """The options for ``navigator.credentials.create`` (JSON) and their challenge."""
    if not user.has_two_factor:
        raise ServiceError(TOTP_FIRST)
    options = webauthn.generate_registration_options(
        rp_id=rp.id,
        rp_name=ISSUER,
        user_id=user.id.bytes,
        user_name=user.email,
        user_display_name=user.full_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(passkeys_of(session, user)),
    )
    return webauthn.options_to_json(options), options.challenge


def _transports(credential: dict[str, Any]) -> list[str]:
    response = credential.get("response")
    given = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(given, list):
        return []
    return [t for t in given if isinstance(t, str) and t in KNOWN_TRANSPORTS]


def add(
    session: Session,
    user: User,
    credential: dict[str, Any],
    challenge: bytes,
    rp: RelyingParty,
    label: str,
) -> Passkey:
    """Check the browser's answer to the options and keep the new credential."""
    if not user.has_two_factor:
        raise ServiceError(TOTP_FIRST)
    try:
        verified = webauthn.verify_registration_response(
            credential=json.dumps(credential),
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise ServiceError(NOT_ADDED) from exc
    taken = select(Passkey.id).where(Passkey.credential_id == verified.credential_id)
    if session.scalar(taken) is not None:
        raise ServiceError(ALREADY_ADDED)
    key = Passkey(
        id=uuid.uuid4(),
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        label=label[:120],
        transports=_transports(credential),
        created_at=utcnow(),
    )
    session.add(key)
    session.flush()
    return key


def remove(session: Session, user: User, passkey_id: uuid.UUID) -> Passkey | None:
    """Remove one of the person's passkeys; None when it is not theirs (or gone)."""
    key = session.scalar(
        select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id)
    )
    if key is None:
        return None
    session.delete(key)
    session.flush()
    return key


# ------------------------------------------------------------------ at sign-in


def authentication_options(session: Session, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """The options for ``navigator.credentials.get`` (JSON): the person's own passkeys."""
    keys = passkeys_of(session, user)
    if not keys:
        raise ServiceError(NONE_ADDED)
    options = webauthn.generate_authentication_options(
        rp_id=rp.id,
        allow_credentials=_descriptors(keys),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return webauthn.options_to_json(options), options.challenge


def authenticate(
    session: Session,
    user: User,
    credential: dict[str, Any],
    challenge: bytes,
    rp: RelyingParty,
) -> Passkey:
    """Check an assertion made with one of the person's passkeys; its counter moves on."""
    raw_id = credential.get("rawId") if isinstance(credential, dict) else None
    key = None
    if isinstance(raw_id, str):
        try:
            key_id = webauthn.base64url_to_bytes(raw_id)
        except ValueError:
            key_id = None
        if key_id:
            key = session.scalar(
                select(Passkey).where(Passkey.credential_id == key_id, Passkey.user_id == user.id)
            )
    if key is None:
        raise ServiceError(REFUSED)
    try:
        verified = webauthn.verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise ServiceError(REFUSED) from exc
    if verified.credential_id != key.credential_id:
        raise ServiceError(REFUSED)
    key.sign_count = verified.new_sign_count
    key.last_used_at = utcnow()
    session.flush()
    return key
