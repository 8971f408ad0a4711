"""Invitations: a pending membership of the structure that issued it, until the person accepts.

Rules (security review, findings 1 and 2):
- the link is bound to one membership of one structure (ids + a fingerprint of the
  invitation's state and of every membership of the account: a new invitation elsewhere, an
  acceptance, a cancellation or a password kills the links made before);
- a link is shown on the inviter's screen (no SMTP) only for a brand-new account that no
  other structure knows; otherwise it goes by e-mail to the person;
- accepting never sets the password of an account that has one: that person signs in, then
  accepts;
- the inviter sees only what they typed, never the account's name, sign-ins or structures;
- an invitation with a role that reads personal data, from an administrator who is not the
  direction, is not sent until another person approves it (see approvals): until then no
  link exists and the person is not told.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Membership, Structure, User
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts import approvals
from siae_app.services.accounts.core import (
    clean_roles,
    find_user_by_email,
    normalise_email,
    pending_invitations,
)
from siae_app.services.accounts.core import set_password as _set_password
from siae_app.services.accounts.events import record_event
from siae_app.services.mail import send_mail
from siae_app.services.tokens import (
    INVALID,
    INVITATION,
    USED,
    TokenError,
    fingerprint,
    make_token,
    read_token,
)
from siae_app.tenancy.lookup import memberships_of

NOT_VERIFIED = (
    "Pour accepter cette invitation, ouvrez le lien reçu par courriel à votre adresse : il "
    "confirme que cette adresse est bien la vôtre."
)


def _membership_ids(session: Session, user_id: uuid.UUID) -> list[str]:
    """Every membership of the account, in any structure (through the lookup: see tenancy)."""
    return sorted(str(m.id) for m in memberships_of(session, user_id))


def _epoch(moment: datetime | None) -> int | None:
    # SQLite gives naive datetimes back (UTC), PostgreSQL aware ones: compare instants.
    if moment is None:
        return None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp())


def _fingerprint(session: Session, membership: Membership) -> str:
    user = membership.user
    return fingerprint(
        membership.id,
        membership.structure_id,
        membership.status.value,
        _epoch(membership.invited_at),
        user.password_hash is not None,  # not the hash: a rehash at sign-in keeps the link
        ",".join(_membership_ids(session, user.id)),
    )


def invitation_link(membership: Membership, *, mailed: bool = True) -> str:
    """The link of a pending invitation; ``mailed`` says whether it goes to the mailbox."""
    session = Session.object_session(membership)
    payload = {
        "m": str(membership.id),
        "s": str(membership.structure_id),
        "f": _fingerprint(session, membership),
        "d": "mail" if mailed else "screen",
    }
    token = make_token(INVITATION, payload)
    # In the fragment: a browser never sends it (see blueprints/auth/link_codes.py).
    return url_for("auth.accept_invitation", _anchor=token, _external=True)


def can_show_link(session: Session, membership: Membership) -> bool:
    """May the inviter see the link on screen? Only for a brand-new account that has no
    password and no other membership (pending or not) in any structure."""
    if not membership.is_pending or membership.user.password_hash is not None:
        return False
    return _membership_ids(session, membership.user_id) == [str(membership.id)]


def _existing_membership(session: Session, structure: Structure, user: User):
    with tenancy.tenant_scope(session, structure.id):
        return session.scalar(select(Membership).where(Membership.user_id == user.id))


def _pending_membership(session, structure, user, roles, typed_name) -> Membership:
    membership = _existing_membership(session, structure, user)
    if membership is not None and membership.is_active:
        raise ServiceError("Cette personne fait déjà partie de la structure.", field="email")
    if membership is None:
        membership = Membership(structure_id=structure.id, user=user)
        session.add(membership)
    membership.roles = roles
    membership.is_active = False
    membership.accepted_at = membership.deactivated_at = None
    membership.invited_at = utcnow()  # a new invitation: the links made before stop working
    membership.invited_name = typed_name
    return membership


def _mail_invitation(membership: Membership, greeting: str) -> bool:
    user, structure = membership.user, membership.structure
    link = invitation_link(membership, mailed=True)
    if user.password_hash:
        action = "vous connecter avec votre compte habituel, puis accepter ou refuser l'invitation"
    else:
        action = "choisir votre mot de passe"
    return send_mail(
        user.email,
        f"Invitation à rejoindre {structure.name} sur Parcours SIAE",
        f"Bonjour {greeting},\n\n{structure.name} vous invite sur Parcours SIAE.\n"
        f"Ouvrez ce lien pour {action} :\n{link}\n\nL'invitation expire dans 7 jours.\n",
        purpose=INVITATION,
    )


def send_invitation(
    session: Session, membership: Membership, greeting: str | None = None
) -> tuple[str | None, bool]:
    """Make the invitation's link: mailed to the person, else (no SMTP) the link the inviter
    may see, only when it can safely be shown. Return (link to show or None, mailed)."""
    mailed = _mail_invitation(membership, greeting or membership.display_name)
    shown = None
    if not mailed and can_show_link(session, membership):
        shown = invitation_link(membership, mailed=False)
    return shown, mailed


def invite_member(
    session: Session,
    structure: Structure,
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles,
    job_title: str | None = None,
    actor: Membership | None = None,
) -> tuple[Membership, str | None, bool]:
    """Invite a person (a pending membership); return it, the link the inviter may see (None
    unless it can safely be shown), and whether the invitation went by mail.

    An existing account (another structure) is reused, one account per person, but joins
    only when its owner accepts. A role reading personal data asked by an administrator who
    is not the direction leaves the invitation unsent, waiting for approval
    (``membership.awaits_approval``): no link, no mail.
    """
    roles = clean_roles(roles)
    first_name, last_name = first_name.strip(), last_name.strip()
    user = find_user_by_email(session, email)
    if user is None:
        user = User(email=normalise_email(email), first_name=first_name, last_name=last_name)
        session.add(user)
        session.flush()
    with tenancy.tenant_scope(session, structure.id):
        membership = _pending_membership(
            session, structure, user, roles, f"{first_name} {last_name}".strip()
        )
        membership.job_title = job_title or None
        session.flush()
        if approvals.needs_approval(actor, approvals.personal_gain((), roles)):
            membership.roles, membership.invited_at = [], None  # nothing approved, nothing sent
            approvals.ask(session, membership, roles, actor)
            return membership, None, False
        approvals.clear_request(membership)  # a direct invitation replaces one that waited
        approvals.note_admin_origin(membership, (), actor)
        record_event(session, membership, "invited", actor, [], roles)
        _ = membership.structure.name  # loaded while its structure is active
    shown, mailed = send_invitation(session, membership, first_name)
    return membership, shown, mailed


def screen_link(session: Session, membership: Membership) -> str | None:
    """The link an administrator may see on the member page (no SMTP), or None."""
    if current_app.config.get("MAIL_SERVER") or not can_show_link(session, membership):
        return None
    return invitation_link(membership, mailed=False)


# ------------------------------------------------------------------ the person's side


def read_invitation(session: Session, token: str) -> tuple[Membership, bool]:
    """The pending membership a link was made for, and whether the link went by mail."""
    data = read_token(token, INVITATION, current_app.config["INVITATION_MAX_AGE"])
    try:
        membership_id, structure_id = uuid.UUID(data["m"]), uuid.UUID(data["s"])
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError(INVALID) from exc
    with tenancy.tenant_scope(session, structure_id):
        membership = session.scalar(select(Membership).where(Membership.id == membership_id))
        if membership is not None:
            _ = membership.structure.name
    if membership is None or not membership.is_pending:
        raise TokenError(USED)
    if data.get("f") != _fingerprint(session, membership):
        raise TokenError(USED)
    return membership, data.get("d") == "mail"


def _accept(session: Session, membership: Membership) -> None:
    with tenancy.tenant_scope(session, membership.structure_id):
        membership.is_active = True
        membership.accepted_at = utcnow()
        # From now on the structure sees the account's own name.
        record_event(session, membership, "accepted", None, [], membership.roles)
        session.flush()


def accept_with_password(
    session: Session, membership: Membership, password: str, *, mailed: bool
) -> None:
    """A new account: choose the password and join the structure of this invitation only."""
    user = membership.user
    if user.password_hash is not None:
        raise ServiceError("Ce compte a déjà un mot de passe : connectez-vous pour accepter.")
    _set_password(session, user, password)
    if mailed:
        user.email_verified_at = utcnow()
    _accept(session, membership)


def own_invitation(session: Session, user: User, membership_id: uuid.UUID) -> Membership | None:
    """A pending invitation of this signed-in person, or None (someone else's: not found)."""
    for m in pending_invitations(session, user.id):
        if m.id == membership_id:
            with tenancy.tenant_scope(session, m.structure_id):
                membership = session.scalar(select(Membership).where(Membership.id == m.id))
                if membership is not None:
                    _ = membership.structure.name  # loaded while its structure is active
            return membership
    return None


def accept_signed_in(
    session: Session, user: User, membership: Membership, *, mailed_link: bool = False
) -> None:
    """The signed-in person accepts. From the chooser this needs an address proven by mail
    (a password chosen through a link shown on someone's screen proves nothing)."""
    if membership.user_id != user.id or not membership.is_pending:
        raise ServiceError("Cette invitation n'est plus valable.")
    if mailed_link:
        user.email_verified_at = user.email_verified_at or utcnow()
    if user.email_verified_at is None:
        raise ServiceError(NOT_VERIFIED)
    _accept(session, membership)


def refuse_invitation(session: Session, user: User, membership: Membership) -> None:
    if membership.user_id != user.id or not membership.is_pending:
        raise ServiceError("Cette invitation n'est plus valable.")
    with tenancy.tenant_scope(session, membership.structure_id):
        membership.deactivated_at = utcnow()
        record_event(session, membership, "refused", None, membership.roles, [])
        session.flush()
