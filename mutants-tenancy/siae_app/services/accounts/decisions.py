"""The second person's answer to a role request (see approvals): approve or refuse.

Approving applies the roles asked; for an invitation that waited, it is only now sent (its
link made, mailed or shown as for any invitation). Refusing drops the request; an invitation
that waited is cancelled, never sent. Both are written in the membership's history with
who answered and when.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from siae_app.models import Membership
from siae_app.models.accounts import MembershipStatus
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts import approvals
from siae_app.services.accounts.events import record_event
from siae_app.services.accounts.invitations import send_invitation
from siae_app.services.accounts.members import refuse_losing_last_admin


@dataclass(frozen=True)
class Approval:
    invitation_sent: bool  # the request was an invitation, sent now
    mailed: bool


def approve(session: Session, membership: Membership, approver: Membership) -> Approval:
    refusal = approvals.refusal_to_approve(approver, membership)
    if refusal:
        raise ServiceError(refusal)
    roles = list(membership.requested_roles or [])
    refuse_losing_last_admin(session, membership, roles)
    requester = membership.requested_by
    old = list(membership.roles or [])
    membership.roles = roles
    approvals.note_admin_origin(membership, old, requester)
    approvals.clear_request(membership)
    record_event(session, membership, "approved", approver, old, roles)
    if membership.status is not MembershipStatus.AWAITING_APPROVAL:
        session.flush()
        return Approval(invitation_sent=False, mailed=False)
    membership.invited_at = utcnow()  # sent now: the link exists from this moment
    session.flush()
    _, mailed = send_invitation(session, membership)
    return Approval(invitation_sent=True, mailed=mailed)


def refuse(session: Session, membership: Membership, actor: Membership) -> bool:
    """Drop the request; return True when its own requester withdrew it."""
    if not membership.awaits_approval:
        raise ServiceError(approvals.NOTHING_WAITS)
    requester = membership.requested_by
    withdrawn = requester is not None and requester.user_id == actor.user_id
    asked = list(membership.requested_roles or [])
    kind = "withdrawn" if withdrawn else "denied"
    record_event(session, membership, kind, actor, membership.roles or [], asked)
    if membership.status is MembershipStatus.AWAITING_APPROVAL:
        membership.deactivated_at = utcnow()  # the invitation is cancelled, never sent
    approvals.clear_request(membership)
    session.flush()
    return withdrawn
