"""A structure's memberships: roles (a second person approves those that read personal data,
see approvals), deactivation, and their audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Membership, Role
from siae_app.models.accounts import MembershipStatus
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts import approvals
from siae_app.services.accounts.approvals import PERSONAL_DATA_ROLES
from siae_app.services.accounts.core import clean_roles
from siae_app.services.accounts.events import history, record_event

__all__ = ["PERSONAL_DATA_ROLES", "history", "record_event"]  # re-exported by the package

SELF_GRANT_MESSAGE = (
    "Vous ne pouvez pas vous attribuer vous-même un rôle qui donne accès aux données des "
    "salariés ({roles}) : demandez-le à un autre administrateur ou à la direction."
)


def _active_admins(session: Session) -> list[Membership]:
    members = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    return [m for m in members if Role.ADMIN in m.role_set]


def _refuse_self_grant(membership: Membership, roles: list[str], actor: Membership | None):
    if actor is None or actor.user_id != membership.user_id:
        return
    gained = {Role(r) for r in roles} - membership.role_set
    personal = [r for r in Role if r in gained & PERSONAL_DATA_ROLES]
    if personal:
        names = ", ".join(r.label for r in personal)
        raise ServiceError(SELF_GRANT_MESSAGE.format(roles=names), field="roles")


NOT_SENT_YET = (
    "Cette invitation attend l'approbation d'une autre personne : ses rôles ne changent pas "
    "d'ici là. Pour en demander d'autres, annulez-la puis invitez à nouveau la personne."
)


def refuse_losing_last_admin(session: Session, membership: Membership, roles: list[str]) -> None:
    loses_admin = Role.ADMIN.value not in roles and Role.ADMIN in membership.role_set
    if loses_admin and [m.id for m in _active_admins(session)] == [membership.id]:
        raise ServiceError(
            "La structure doit garder au moins un administrateur actif.", field="roles"
        )


def update_roles(
    session: Session, membership: Membership, roles, job_title=None, *, actor: Membership | None
) -> bool:
    """Change the roles; return False when they wait for a second person's approval (a role
    that reads personal data, asked by an administrator who is not the direction)."""
    roles = clean_roles(roles)
    if membership.status is MembershipStatus.AWAITING_APPROVAL:
        raise ServiceError(NOT_SENT_YET, field="roles")
    refuse_losing_last_admin(session, membership, roles)
    _refuse_self_grant(membership, roles, actor)
    membership.job_title = job_title or None
    gained = approvals.personal_gain(membership.roles or (), roles)
    if approvals.needs_approval(actor, gained):
        approvals.ask(session, membership, roles, actor)
        return False
    if membership.awaits_approval:
        # A direct change replaces the request that waited.
        asked = membership.requested_roles or []
        record_event(session, membership, "withdrawn", actor, membership.roles, asked)
        approvals.clear_request(membership)
    old = list(membership.roles or [])
    membership.roles = roles
    approvals.note_admin_origin(membership, old, actor)
    if old != roles:
        record_event(session, membership, "roles", actor, old, roles)
    session.flush()
    return True


def deactivate_member(session: Session, membership: Membership, actor: Membership) -> None:
    """End the access in this structure only (a pending invitation is cancelled).

    The person's other structures are untouched: every request under /s/<slug>/ checks the
    membership of that structure, so no global sign-out is needed.
    """
    if membership.id == actor.id:
        raise ServiceError("Vous ne pouvez pas désactiver votre propre accès.")
    last_admin = len(_active_admins(session)) <= 1
    if Role.ADMIN in membership.role_set and membership.is_active and last_admin:
        raise ServiceError("La structure doit garder au moins un administrateur actif.")
    membership.is_active = False
    membership.deactivated_at = utcnow()
    approvals.clear_request(membership)  # nothing waits for a membership that ends
    record_event(session, membership, "deactivated", actor, membership.roles, membership.roles)


def reactivate_member(session: Session, membership: Membership, actor: Membership) -> None:
    if membership.accepted_at is None:
        raise ServiceError("Cette personne n'a jamais accepté l'invitation : invitez-la à nouveau.")
    membership.is_active = True
    membership.deactivated_at = None
    record_event(session, membership, "reactivated", actor, membership.roles, membership.roles)
