"""A structure's memberships: roles, deactivation, and their audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Membership, Role
from siae_app.models.accounts import MembershipEvent
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts.core import clean_roles

# Roles that open the salariés' personal data (DESIGN.md §3): nobody grants them to themself.
PERSONAL_DATA_ROLES = frozenset({Role.ETI, Role.CIP, Role.COORDINATOR, Role.DIRECTOR})

SELF_GRANT_MESSAGE = (
    "Vous ne pouvez pas vous attribuer vous-même un rôle qui donne accès aux données des "
    "salariés ({roles}) : demandez-le à un autre administrateur ou à la direction."
)


def record_event(
    session: Session,
    membership: Membership,
    kind: str,
    actor: Membership | None,
    old_roles=(),
    new_roles=(),
) -> MembershipEvent:
    """Write one line of the membership's history (in the membership's structure)."""
    event = MembershipEvent(
        structure_id=membership.structure_id,
        membership_id=membership.id,
        actor_id=actor.id if actor is not None else None,
        kind=kind,
        old_roles=list(old_roles),
        new_roles=list(new_roles),
    )
    session.add(event)
    session.flush()
    return event


def history(session: Session, membership: Membership) -> list[MembershipEvent]:
    return list(
        session.scalars(
            select(MembershipEvent)
            .where(MembershipEvent.membership_id == membership.id)
            .order_by(MembershipEvent.created_at.desc())
        )
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


def update_roles(
    session: Session, membership: Membership, roles, job_title=None, *, actor: Membership | None
) -> None:
    roles = clean_roles(roles)
    loses_admin = Role.ADMIN.value not in roles and Role.ADMIN in membership.role_set
    if loses_admin and [m.id for m in _active_admins(session)] == [membership.id]:
        raise ServiceError(
            "La structure doit garder au moins un administrateur actif.", field="roles"
        )
    _refuse_self_grant(membership, roles, actor)
    old = list(membership.roles or [])
    membership.roles = roles
    membership.job_title = job_title or None
    if old != roles:
        record_event(session, membership, "roles", actor, old, roles)
    session.flush()


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
    record_event(session, membership, "deactivated", actor, membership.roles, membership.roles)


def reactivate_member(session: Session, membership: Membership, actor: Membership) -> None:
    if membership.accepted_at is None:
        raise ServiceError("Cette personne n'a jamais accepté l'invitation : invitez-la à nouveau.")
    membership.is_active = True
    membership.deactivated_at = None
    record_event(session, membership, "reactivated", actor, membership.roles, membership.roles)
