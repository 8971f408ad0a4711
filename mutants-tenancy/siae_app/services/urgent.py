"""Situations urgentes: flagged from the chantier, shown to the référent CIP and coordination
until someone acknowledges them."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Membership, Role
from siae_app.models.base import utcnow
from siae_app.models.urgent import URGENT_KINDS, UrgentSituation
from siae_app.services import ServiceError, client_ids
from siae_app.services.mail import send_mail

MAX_TEXT = 1000
MAIL_SUBJECT = "Situation urgente à consulter"
# No name, no detail: a mail leaves the structure's hands.
MAIL_BODY = (
    "Une situation urgente vous attend dans Parcours SIAE.\n\n"
    "Connectez-vous pour la consulter et indiquer ce qui a été fait."
)


def recipients(session: Session, employee: Employee) -> list[Membership]:
    """The salarié's référent CIP and every active coordinator."""
    people = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    return [m for m in people if Role.COORDINATOR in m.role_set or (m.id == employee.referent_id)]


def report(
    session: Session,
    by: Membership,
    employee: Employee,
    *,
    kind: str,
    text: str,
    record_id: uuid.UUID | None = None,
) -> UrgentSituation:
    """Flag a situation and tell the référent and coordination by mail (no name in it).

    ``record_id`` is minted by the page or the phone: the same situation sent again (a double
    tap, the phone's queue replaying it) returns the saved one, with no second mail; an id
    another record holds raises ``IdTaken``."""
    if kind not in URGENT_KINDS:
        raise ServiceError("Choisissez le type de situation.", field="kind")
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        raise ServiceError("Décrivez la situation en quelques mots.", field="text")
    if record_id is not None:
        sent_again = session.scalar(
            select(UrgentSituation).where(
                UrgentSituation.id == record_id,
                UrgentSituation.employee_id == employee.id,
                UrgentSituation.reported_by_id == by.id,
                UrgentSituation.kind == kind,
                UrgentSituation.text == text,
            )
        )
        if sent_again is not None:
            return sent_again
    situation = UrgentSituation(
        id=record_id or uuid.uuid4(),
        employee_id=employee.id,
        kind=kind,
        text=text,
        reported_by_id=by.id,
    )
    client_ids.add_new(session, [situation])
    for person in recipients(session, employee):
        if person.id != by.id:
            send_mail(person.user.email, MAIL_SUBJECT, MAIL_BODY)
    return situation


def acknowledge(
    session: Session, by: Membership, situation: UrgentSituation, action_taken: str
) -> UrgentSituation:
    if situation.acknowledged_at is not None:
        raise ServiceError("Cette situation a déjà été prise en compte.", field="action_taken")
    action_taken = (action_taken or "").strip()
    if not action_taken:
        raise ServiceError("Indiquez ce qui a été fait.", field="action_taken")
    situation.acknowledged_at = utcnow()
    situation.acknowledged_by_id = by.id
    situation.action_taken = action_taken[:MAX_TEXT]
    session.flush()
    return situation


def visible(membership: Membership, stmt: Select | None = None) -> Select:
    """Coordination sees every situation; a CIP those of the salariés they are référent of."""
    stmt = select(UrgentSituation) if stmt is None else stmt
    if Role.COORDINATOR not in membership.role_set:
        mine = select(Employee.id).where(Employee.referent_id == membership.id)
        stmt = stmt.where(UrgentSituation.employee_id.in_(mine))
    return stmt.options(
        selectinload(UrgentSituation.employee),
        selectinload(UrgentSituation.reported_by),
        selectinload(UrgentSituation.acknowledged_by),
    )


def open_situations(session: Session, membership: Membership) -> list[UrgentSituation]:
    stmt = visible(membership).where(UrgentSituation.acknowledged_at.is_(None))
    return list(session.scalars(stmt.order_by(UrgentSituation.created_at.desc())))


def recent_handled(session: Session, membership: Membership, limit: int = 30) -> list:
    stmt = visible(membership).where(UrgentSituation.acknowledged_at.is_not(None))
    order = UrgentSituation.acknowledged_at.desc()
    return list(session.scalars(stmt.order_by(order).limit(limit)))
