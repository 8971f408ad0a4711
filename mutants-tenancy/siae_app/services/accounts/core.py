"""Accounts: look-up, passwords, sign-in, the person's memberships across structures."""

from __future__ import annotations

import uuid

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Role, User
from siae_app.models.accounts import new_session_nonce
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.mail import send_mail
from siae_app.services.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from siae_app.services.tokens import RESET, USED, TokenError, fingerprint, make_token, read_token
from siae_app.tenancy.lookup import MembershipSummary, memberships_of


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def clean_roles(roles) -> list[str]:
    chosen = [Role(r).value for r in roles]
    if not chosen:
        raise ServiceError("Choisissez au moins un rôle.", field="roles")
    return sorted(set(chosen), key=[r.value for r in Role].index)


def set_password(session: Session, user: User, password: str) -> None:
    problems = password_problems(
        password, [user.email.split("@")[0], user.first_name, user.last_name]
    )
    if problems:
        raise ServiceError(" ".join(problems), field="password")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_nonce = new_session_nonce()
    session.flush()


def active_memberships(session: Session, user_id: uuid.UUID) -> list[MembershipSummary]:
    """The user's active memberships in every structure (for sign-in and the switcher).

    Read-only summaries: on PostgreSQL the application's role reads no membership outside
    the active structure, so they come from ``tenancy.lookup`` (the person's own rows only).
    """
    return [m for m in memberships_of(session, user_id) if m.is_active]


def pending_invitations(session: Session, user_id: uuid.UUID) -> list[MembershipSummary]:
    """Invitations waiting for the person's answer, in every structure."""
    return [m for m in memberships_of(session, user_id) if m.is_pending]


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the password is right and they have an active membership or a pending
    invitation to answer; else None."""
    user = find_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not any(m.is_active or m.is_pending for m in memberships_of(session, user.id)):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(session: Session, user: User) -> None:
    user.previous_login_at = user.last_login_at
    user.last_login_at = utcnow()
    session.flush()


def end_sessions(session: Session, user: User) -> None:
    user.session_nonce = new_session_nonce()
    session.flush()


# ------------------------------------------------------------------ password reset


def _reset_fingerprint(user: User) -> str:
    # Changes as soon as the password is set: a link works once.
    return fingerprint(user.password_hash, user.session_nonce)


def reset_link(user: User) -> str:
    token = make_token(RESET, {"u": str(user.id), "f": _reset_fingerprint(user)})
    # In the fragment: a browser never sends it (see blueprints/auth/link_codes.py).
    return url_for("auth.reset_password", _anchor=token, _external=True)


def read_reset_token(session: Session, token: str) -> User:
    data = read_token(token, RESET, current_app.config["PASSWORD_RESET_MAX_AGE"])
    try:
        user = session.get(User, uuid.UUID(str(data.get("u"))))
    except ValueError as exc:
        raise TokenError(USED) from exc
    if user is None or data.get("f") != _reset_fingerprint(user):
        raise TokenError(USED)
    return user


def reset_password(session: Session, user: User, password: str) -> None:
    """The link went to the person's mailbox: the address is proven as well."""
    set_password(session, user, password)
    user.email_verified_at = user.email_verified_at or utcnow()
    session.flush()


def request_password_reset(session: Session, email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way."""
    user = find_user_by_email(session, email)
    if user is None or not user.password_hash:
        return
    send_mail(
        user.email,
        "Réinitialisation de votre mot de passe Parcours SIAE",
        f"Bonjour {user.first_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien "
        f"(valable une heure) :\n{reset_link(user)}\n\n"
        "Si vous n'avez rien demandé, ignorez ce message.\n",
        purpose=RESET,
    )
