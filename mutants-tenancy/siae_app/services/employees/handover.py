"""The handover at the sortie: which documents were handed to the salarié, when, recorded by
whom. One row per document (``ExitHandoverItem``), ticked with its date or unticked; each
change goes to the file's history.

A document may be handed a few days before the sortie (the certificat de travail is often
ready on the last day worked): a date from 30 days before the sortie is accepted. A row
dated earlier than that belongs to an earlier sortie (a salarié who came back and left
again) and does not count for the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Attestation, Employee, ExitHandoverItem, Membership, Review
from siae_app.models.employees import HANDOVER_ITEMS
from siae_app.models.statuses import AttestationStatus, ReviewStatus
from siae_app.services import ServiceError, checked_text, history
from siae_app.services.employees.dates import fr_date

ENTITY = "exit_handover"
ATTESTATION = "attestation_competences"
NOTE_FIELD = "motif_sans_attestation"
BEFORE_EXIT_DAYS = 30
NOTE_MAX = 500


def earliest(exit_date: date) -> date:
    """The first day a document of this sortie may have been handed."""
    return exit_date - timedelta(days=BEFORE_EXIT_DAYS)


def counts(done_on: date | None, exit_date: date | None) -> bool:
    """Whether a row ticked on ``done_on`` counts for the sortie of ``exit_date``."""
    return done_on is not None and exit_date is not None and done_on >= earliest(exit_date)


@dataclass
class Line:
    key: str
    label: str
    row: ExitHandoverItem | None
    exit_date: date

    @property
    def done(self) -> bool:
        return self.row is not None and counts(self.row.done_on, self.exit_date)


@dataclass
class Handover:
    """The checklist of the current sortie, with the documents the file already holds."""

    employee: Employee
    lines: list[Line]
    attestation: Attestation | None  # the latest signed attestation de compétences
    review: Review | None  # the latest validated bilan de sortie

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def earliest(self) -> date:
        return earliest(self.employee.exit_date)


def _rows(session: Session, employee: Employee) -> dict[str, ExitHandoverItem]:
    rows = session.scalars(
        select(ExitHandoverItem)
        .options(selectinload(ExitHandoverItem.done_by).selectinload(Membership.user))
        .where(ExitHandoverItem.employee_id == employee.id)
    )
    return {r.item: r for r in rows}


def signed_attestation(session: Session, employee: Employee) -> Attestation | None:
    return session.scalars(
        select(Attestation)
        .where(
            Attestation.employee_id == employee.id,
            Attestation.status == AttestationStatus.SIGNED,
        )
        .order_by(Attestation.signed_at.desc())
        .limit(1)
    ).first()


def exit_review(session: Session, employee: Employee) -> Review | None:
    return session.scalars(
        select(Review)
        .where(
            Review.employee_id == employee.id,
            Review.kind == "exit",
            Review.status == ReviewStatus.VALIDATED,
        )
        .order_by(Review.held_on.desc())
        .limit(1)
    ).first()


def handover(session: Session, employee: Employee) -> Handover | None:
    """The checklist of the recorded sortie (None while the salarié is in parcours)."""
    if employee.exit_date is None:
        return None
    rows = _rows(session, employee)
    lines = [
        Line(key, label, rows.get(key), employee.exit_date) for key, label in HANDOVER_ITEMS.items()
    ]
    return Handover(
        employee, lines, signed_attestation(session, employee), exit_review(session, employee)
    )


def _check_item(employee: Employee, item: str) -> None:
    if employee.exit_date is None:
        raise ServiceError(
            "Enregistrez d'abord la sortie : la remise des documents la suit.", field="done_on"
        )
    if item not in HANDOVER_ITEMS:
        raise ServiceError("Ce document ne fait pas partie de la remise.", field="done_on")


def tick(
    session: Session,
    membership: Membership,
    employee: Employee,
    item: str,
    done_on: date | None,
    note: str | None = None,
    today: date | None = None,
) -> ExitHandoverItem:
    """Record that ``item`` was handed on ``done_on`` (today if empty); ticking again changes
    the date. The attestation de compétences needs the reason when none is signed."""
    today = today or date.today()
    _check_item(employee, item)
    done_on = done_on or today
    if done_on > today:
        raise ServiceError("La date ne peut pas être dans le futur.", field="done_on")
    first = earliest(employee.exit_date)
    if done_on < first:
        raise ServiceError(
            f"La remise ne peut pas précéder de plus de {BEFORE_EXIT_DAYS} jours la sortie du "
            f"{fr_date(employee.exit_date)} : indiquez une date à partir du {fr_date(first)}.",
            field="done_on",
        )
    if item == ATTESTATION and signed_attestation(session, employee) is None:
        note = checked_text(
            note,
            "note",
            missing="Aucune attestation de compétences signée : indiquez pourquoi.",
            max_len=NOTE_MAX,
        )
    else:
        note = None
    row = _rows(session, employee).get(item)
    if row is None:
        row = ExitHandoverItem(employee_id=employee.id, item=item)
        session.add(row)
    changes = history.compare(
        {item: row.done_on, NOTE_FIELD: row.note}, {item: done_on, NOTE_FIELD: note}
    )
    row.done_on, row.done_by_id, row.note = done_on, membership.id, note
    session.flush()
    history.record(session, membership, ENTITY, row, changes)
    session.flush()
    return row


def untick(
    session: Session, membership: Membership, employee: Employee, item: str
) -> ExitHandoverItem | None:
    """The document was ticked by mistake: the row stays, without a date (the history keeps
    the date it had)."""
    _check_item(employee, item)
    row = _rows(session, employee).get(item)
    if row is None or row.done_on is None:
        raise ServiceError("Ce document n'est pas coché.", field="done_on")
    changes = history.compare(
        {item: row.done_on, NOTE_FIELD: row.note}, {item: None, NOTE_FIELD: None}
    )
    row.done_on, row.done_by_id, row.note = None, None, None
    history.record(session, membership, ENTITY, row, changes)
    session.flush()
    return row
