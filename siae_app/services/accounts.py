"""Accounts and memberships: invitations, roles, deactivation, passwords, sign-in."""

from __future__ import annotations

import uuid

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Membership, Role, Structure, User
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
from siae_app.services.tokens import INVITATION, RESET, make_token


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def _clean_roles(roles) -> list[str]:
    chosen = [Role(r).value for r in roles]
    if not chosen:
        raise ServiceError("Choisissez au moins un rôle.", field="roles")
    return sorted(set(chosen), key=[r.value for r in Role].index)


def invite_member(
    session: Session,
    structure: Structure,
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles,
    job_title: str | None = None,
) -> tuple[Membership, str, bool]:
    """Add a person to the structure; return the membership, their link, and whether it was
    mailed (without SMTP the inviting administrator hands the link over).

    An existing account (another structure) is reused: one account per person.
    """
    roles = _clean_roles(roles)
    user = find_user_by_email(session, email)
    if user is None:
        user = User(
            email=normalise_email(email),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        session.add(user)
        session.flush()
    membership = session.scalar(select(Membership).where(Membership.user_id == user.id))
    if membership is not None and membership.is_active:
        raise ServiceError("Cette personne fait déjà partie de la structure.", field="email")
    if membership is None:
        membership = Membership(structure_id=structure.id, user=user, roles=roles)
        session.add(membership)
    else:
        membership.roles, membership.is_active, membership.deactivated_at = roles, True, None
    membership.job_title = job_title or None
    session.flush()
    link = account_link(user)
    action = "vous connecter" if user.password_hash else "choisir votre mot de passe"
    mailed = send_mail(
        user.email,
        f"Invitation à rejoindre {structure.name} sur Parcours SIAE",
        f"Bonjour {user.first_name},\n\n{structure.name} vous invite sur Parcours SIAE.\n"
        f"Ouvrez ce lien pour {action} :"
        f"\n{link}\n\nCe lien expire dans 7 jours.\n",
    )
    return membership, link, mailed


def account_link(user: User) -> str:
    """Invitation link for a person with no password yet, sign-in page otherwise."""
    if user.password_hash:
        return url_for("auth.login", _external=True)
    return url_for("auth.accept_invitation", token=make_token(user, INVITATION), _external=True)


def _active_admins(session: Session) -> list[Membership]:
    members = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    return [m for m in members if Role.ADMIN in m.role_set]


def update_roles(session: Session, membership: Membership, roles, job_title=None) -> None:
    roles = _clean_roles(roles)
    loses_admin = Role.ADMIN.value not in roles and Role.ADMIN in membership.role_set
    if loses_admin and [m.id for m in _active_admins(session)] == [membership.id]:
        raise ServiceError(
            "La structure doit garder au moins un administrateur actif.", field="roles"
        )
    membership.roles = roles
    membership.job_title = job_title or None
    session.flush()


def deactivate_member(session: Session, membership: Membership, actor: Membership) -> None:
    if membership.id == actor.id:
        raise ServiceError("Vous ne pouvez pas désactiver votre propre accès.")
    if Role.ADMIN in membership.role_set and len(_active_admins(session)) <= 1:
        raise ServiceError("La structure doit garder au moins un administrateur actif.")
    membership.is_active = False
    membership.deactivated_at = utcnow()
    # Ends the person's open sessions at once.
    membership.user.session_nonce = new_session_nonce()
    session.flush()


def reactivate_member(session: Session, membership: Membership) -> None:
    membership.is_active = True
    membership.deactivated_at = None
    session.flush()


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


def active_memberships(session: Session, user_id: uuid.UUID) -> list[Membership]:
    """The user's active memberships in every structure (for sign-in and the switcher).

    Read-only summaries (``tenancy_lookup.MembershipSummary``: ``structure.slug``/``name``/
    ``kind_label``, ``role_labels``): on PostgreSQL the app's role cannot read memberships
    outside the active structure, so they come from a function that returns this user's only.
    """
    from siae_app.tenancy_lookup import memberships_of

    return [m for m in memberships_of(session, user_id) if m.is_active]


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the password is right and they have an active membership; else None."""
    user = find_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not active_memberships(session, user.id):
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


def request_password_reset(session: Session, email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way."""
    user = find_user_by_email(session, email)
    if user is None or not user.password_hash:
        return
    link = url_for("auth.reset_password", token=make_token(user, RESET), _external=True)
    send_mail(
        user.email,
        "Réinitialisation de votre mot de passe Parcours SIAE",
        f"Bonjour {user.first_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien "
        f"(valable une heure) :\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message.\n",
    )
