"""The audit trail of memberships (« Historique des rôles »): written and read one way."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Membership
from siae_app.models.accounts import MembershipEvent


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
            .options(selectinload(MembershipEvent.actor))
            .order_by(MembershipEvent.created_at.desc())
        )
    )
