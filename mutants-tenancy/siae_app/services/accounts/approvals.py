"""A role that reads personal data is given by two people (security review).

An administrator who is not the direction only *asks*: the roles wait on the membership
(``requested_roles``) and an invitation waits unsent (no link exists) until another person
approves. Who may approve:
- an active member of the direction (who reads personal data already and answers for it);
- another active administrator, independent of the requester: administrators made by one
  administrator share an origin (``admin_origin``), and none approves another's requests —
  else a single administrator would invite a second address of their own as administrator
  and approve their own requests from it.
Nobody approves their own request, nor one about their own membership. The direction and
the operator (command line) give such roles directly; nobody gives them to themself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Membership, Role
from siae_app.models.accounts import MembershipStatus
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.accounts.events import record_event

# Roles that open the salariés' personal data (README, « Qui voit quoi »).
PERSONAL_DATA_ROLES = frozenset({Role.ETI, Role.CIP, Role.COORDINATOR, Role.DIRECTOR})

OPERATOR_COMMAND = "flask structure invite --slug … --email … --role director"
NO_APPROVER = (
    "Aucune autre personne ne peut approuver ce rôle ({roles}) : il faut la direction de la "
    "structure, ou un autre administrateur que vous n'avez pas fait administrateur "
    "vous-même. Demandez à l'exploitant de l'application d'inviter la direction (commande "
    f"« {OPERATOR_COMMAND} ») : elle pourra ensuite approuver vos demandes."
)
NOTHING_WAITS = "Aucune demande n'attend d'approbation pour cette personne."
OWN_REQUEST = (
    "Vous ne pouvez pas approuver votre propre demande : une autre personne (un autre "
    "administrateur ou la direction) doit le faire."
)
NOT_AN_APPROVER = "Seuls la direction et les administrateurs approuvent les demandes de rôles."
ABOUT_ONESELF = "Vous ne pouvez pas approuver une demande qui vous donne des rôles."
SAME_ORIGIN = (
    "Vous ne pouvez pas approuver cette demande : l'un de vous deux a fait l'autre "
    "administrateur (directement ou par un intermédiaire). La direction ou un autre "
    "administrateur doit l'approuver."
)


def role_names(roles: Iterable[Role]) -> str:
    return ", ".join(r.label for r in Role if r in set(roles))


def personal_gain(held: Iterable[str], wanted: Iterable[str]) -> frozenset[Role]:
    """The roles reading personal data that ``wanted`` adds to ``held``."""
    added = {Role(r) for r in wanted} - {Role(r) for r in held}
    return frozenset(added & PERSONAL_DATA_ROLES)


def needs_approval(actor: Membership | None, gained: frozenset[Role]) -> bool:
    """The operator (no actor) and the direction give such roles directly."""
    return bool(gained) and actor is not None and not actor.has_role(Role.DIRECTOR)


def refusal_to_approve(approver: Membership, membership: Membership) -> str | None:
    """Why ``approver`` may not approve the request waiting on ``membership`` (None: may)."""
    if not membership.awaits_approval:
        return NOTHING_WAITS
    if approver.user_id == membership.user_id:
        return ABOUT_ONESELF
    requester = membership.requested_by
    if requester is not None and requester.user_id == approver.user_id:
        return OWN_REQUEST
    if not approver.is_active or not approver.has_role(Role.DIRECTOR, Role.ADMIN):
        return NOT_AN_APPROVER
    if approver.has_role(Role.DIRECTOR):
        return None
    if requester is not None and requester.admin_origin == approver.admin_origin:
        return SAME_ORIGIN
    return None


def can_approve(approver: Membership | None, membership: Membership) -> bool:
    return approver is not None and refusal_to_approve(approver, membership) is None


def _possible_approvers(
    session: Session, requester: Membership, target_user_id
) -> list[Membership]:
    members = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    return [
        m
        for m in members
        if m.user_id not in (requester.user_id, target_user_id)
        and (
            m.has_role(Role.DIRECTOR)
            or (m.has_role(Role.ADMIN) and m.admin_origin != requester.admin_origin)
        )
    ]


def ask(session: Session, membership: Membership, roles: list[str], actor: Membership) -> None:
    """Leave ``roles`` waiting on the membership for a second person; refused up front (in
    French, saying what to do) when nobody could approve them."""
    gained = personal_gain(membership.roles or (), roles)
    if not _possible_approvers(session, actor, membership.user.id):
        raise ServiceError(NO_APPROVER.format(roles=role_names(gained)), field="roles")
    membership.requested_roles = list(roles)
    membership.requested_by_id = actor.id
    membership.requested_at = utcnow()
    session.flush()
    kind = (
        "invite_requested"
        if membership.status is MembershipStatus.AWAITING_APPROVAL
        else "roles_requested"
    )
    record_event(session, membership, kind, actor, membership.roles or [], roles)


def clear_request(membership: Membership) -> None:
    membership.requested_roles = None
    membership.requested_by_id = None
    membership.requested_at = None


def note_admin_origin(membership: Membership, old_roles, granted_by: Membership | None) -> None:
    """Keep ``admin_origin`` true after a role change: the administration role given by an
    administrator who is not the direction joins that administrator's origin."""
    if Role.ADMIN.value not in (membership.roles or ()):
        membership.admin_origin_id = None
    elif Role.ADMIN.value not in (old_roles or ()):
        independent = granted_by is None or granted_by.has_role(Role.DIRECTOR)
        membership.admin_origin_id = None if independent else granted_by.admin_origin


def waiting(session: Session) -> list[Membership]:
    """The requests of the active structure that wait for a second person, oldest first."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.requested_at.is_not(None))
            .options(selectinload(Membership.requested_by))
            .order_by(Membership.requested_at)
        )
    )


def waiting_for(session: Session, approver: Membership) -> list[Membership]:
    """The waiting requests ``approver`` may approve."""
    return [m for m in waiting(session) if can_approve(approver, m)]
