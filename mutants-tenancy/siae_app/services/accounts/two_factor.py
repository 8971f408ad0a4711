"""Second factor at sign-in: TOTP codes (an app on the phone), recovery codes, remembered
browsers, and the reset of a person's second factor by their direction or administration.

Who must use it: a person holding the direction or administration role in an active
membership, and every member of a structure that requires it for all roles. Anyone may enrol
of their own will. A TOTP code is accepted once (the last time step accepted is kept), within
one step either side of now. Recovery codes are random and long; only their digests are
stored, and a used one is removed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import segno
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from siae_app.models import Membership, Passkey, Role, Structure, TrustedDevice, User
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts.events import record_event
from siae_app.tenancy.lookup import memberships_of

ISSUER = "Parcours SIAE"
STEP_SECONDS = 30
RECOVERY_CODES = 10
TRUSTED_DAYS = 30
ALWAYS_REQUIRED = frozenset({Role.DIRECTOR, Role.ADMIN})
WRONG_CODE = "Code incorrect ou déjà utilisé. Vérifiez l'heure de votre téléphone et réessayez."
WRONG_RECOVERY = "Code de secours incorrect ou déjà utilisé."


def aware(moment: datetime) -> datetime:
    """A stored moment with its time zone (SQLite gives it back without)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ------------------------------------------------------------------ who must use it


def is_required(session: Session, user: User) -> bool:
    """Must this person sign in with a second factor?"""
    active = [m for m in memberships_of(session, user.id) if m.is_active]
    if any(m.role_set & ALWAYS_REQUIRED for m in active):
        return True
    ids = [m.structure_id for m in active]
    if not ids:
        return False
    demanding = select(Structure.id).where(
        Structure.id.in_(ids), Structure.require_two_factor.is_(True)
    )
    return session.scalar(demanding.limit(1)) is not None


def require_for_all(
    session: Session, structure: Structure, actor: Membership, required: bool
) -> None:
    """The direction's setting: every member of the structure must use a second factor."""
    if not actor.has_role(Role.DIRECTOR):
        raise ServiceError("Seule la direction peut changer ce réglage.")
    structure.require_two_factor = required
    session.flush()


# ------------------------------------------------------------------ enrolment


def provisional_secret(session: Session, user: User) -> str:
    """The secret offered for enrolment (kept until confirmed; a new one after a reset)."""
    if user.has_two_factor:
        raise ServiceError("La double authentification est déjà activée.")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        session.flush()
    return user.totp_secret


def secret_groups(secret: str) -> str:
    """The secret for manual entry, in groups of 4 characters."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(user: User, secret: str) -> str:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _clean_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def _current_step() -> int:
    return int(time.time()) // STEP_SECONDS


def check_code(session: Session, user: User, code: str | None) -> bool:
    """Accept a TOTP code once, within one step either side of now."""
    digits = _clean_code(code)
    if not user.totp_secret or len(digits) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = _current_step()
    last = user.totp_last_step or 0
    for step in (now - 1, now, now + 1):
        if step <= last:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            user.totp_last_step = step
            session.flush()
            return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normal_recovery(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten fresh codes (shown once); the previous ones stop working."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(12)) for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [_digest(c) for c in codes]
    session.flush()
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


def use_recovery_code(session: Session, user: User, code: str | None) -> bool:
    """Accept a recovery code once: it is removed from the list."""
    digest = _digest(_normal_recovery(code))
    stored = list(user.recovery_code_hashes or [])
    if not user.has_two_factor or not any(hmac.compare_digest(digest, h) for h in stored):
        return False
    user.recovery_code_hashes = [h for h in stored if h != digest]
    session.flush()
    return True


def confirm_enrolment(session: Session, user: User, code: str | None) -> list[str]:
    """Enrol with the first code; the recovery codes to show once."""
    if user.has_two_factor:
        raise ServiceError("La double authentification est déjà activée.")
    if not check_code(session, user, code):
        raise ServiceError(WRONG_CODE, field="code")
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(session, user)


def regenerate_recovery_codes(session: Session, user: User, code: str | None) -> list[str]:
    if not user.has_two_factor:
        raise ServiceError("La double authentification n'est pas activée.")
    if not check_code(session, user, code):
        raise ServiceError(WRONG_CODE, field="code")
    return new_recovery_codes(session, user)


def _clear(session: Session, user: User) -> None:
    """The second factor goes, with the passkeys that were another way to give it."""
    session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_code_hashes = None


def deactivate(session: Session, user: User, code: str | None) -> None:
    """The person's own choice, refused while their roles require it."""
    if is_required(session, user):
        raise ServiceError(
            "Votre rôle ou votre structure exige la double authentification : elle ne peut "
            "pas être désactivée."
        )
    if not check_code(session, user, code):
        raise ServiceError(WRONG_CODE, field="code")
    _clear(session, user)
    revoke_devices(session, user)
    session.flush()


def reset_by(session: Session, actor: Membership, member: Membership) -> None:
    """The direction or the administration resets a member's second factor: they enrol
    again at their next sign-in. Never one's own (that takes a current code)."""
    if member.user_id == actor.user_id:
        raise ServiceError(
            "Vous ne pouvez pas réinitialiser votre propre double authentification : "
            "passez par « Mon compte »."
        )
    user = member.user
    if user.totp_secret is None and user.totp_enabled_at is None:
        raise ServiceError(f"{member.display_name} n'a pas de double authentification.")
    _clear(session, user)
    revoke_devices(session, user)
    record_event(session, member, "two_factor_reset", actor)


# ------------------------------------------------------------------ remembered browsers


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def trust_device(session: Session, user: User, label: str) -> str:
    """Remember this browser for 30 days; the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        TrustedDevice(
            id=uuid.uuid4(),
            user_id=user.id,
            token_hash=_token_hash(token),
            label=label,
            created_at=now,
            last_used_at=now,
            expires_at=now + timedelta(days=TRUSTED_DAYS),
        )
    )
    session.flush()
    return token


def trusted_device(session: Session, user: User, token: str | None) -> TrustedDevice | None:
    """The remembered browser of this token, if it is the person's and still valid."""
    if not token:
        return None
    device = session.scalar(
        select(TrustedDevice).where(
            TrustedDevice.token_hash == _token_hash(token),
            TrustedDevice.user_id == user.id,
        )
    )
    if device is None or device.revoked_at is not None or aware(device.expires_at) <= utcnow():
        return None
    return device


def use_trusted_device(session: Session, user: User, token: str | None) -> bool:
    device = trusted_device(session, user, token)
    if device is None:
        return False
    device.last_used_at = utcnow()
    session.flush()
    return True


def active_devices(session: Session, user: User) -> list[TrustedDevice]:
    return list(
        session.scalars(
            select(TrustedDevice)
            .where(
                TrustedDevice.user_id == user.id,
                TrustedDevice.revoked_at.is_(None),
                TrustedDevice.expires_at > utcnow(),
            )
            .order_by(TrustedDevice.created_at.desc())
        )
    )


def forget_device(session: Session, user: User, device_id: uuid.UUID) -> TrustedDevice:
    device = session.scalar(
        select(TrustedDevice).where(
            TrustedDevice.id == device_id,
            TrustedDevice.user_id == user.id,
            TrustedDevice.revoked_at.is_(None),
        )
    )
    if device is None:
        raise ServiceError("Cet appareil n'est plus mémorisé.")
    device.revoked_at = utcnow()
    session.flush()
    return device


def revoke_devices(session: Session, user: User) -> None:
    session.execute(
        update(TrustedDevice)
        .where(TrustedDevice.user_id == user.id, TrustedDevice.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()
