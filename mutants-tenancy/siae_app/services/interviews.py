"""Entretiens individuels: a closed entretien is locked; reopening needs a motif."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import Employee, Interview, InterviewStatus, Membership
from siae_app.models.base import utcnow
from siae_app.models.interviews import INTERVIEW_KINDS
from siae_app.services import ServiceError, checked_text, history
from siae_app.services.versions import check_version, flush_or_stale

LOCKED = "Cet entretien est clôturé : rouvrez-le (avec un motif) pour le modifier."


def save_interview(
    session: Session,
    interview: Interview | None,
    *,
    employee: Employee,
    membership: Membership,
    held_on: date,
    kind: str,
    summary: str | None,
    next_on: date | None,
    expected_version: int | None = None,
) -> Interview:
    if kind not in INTERVIEW_KINDS:
        raise ServiceError("Type d'entretien inconnu.", field="kind")
    if next_on is not None and next_on <= held_on:
        raise ServiceError(
            "Le prochain rendez-vous doit être après la date de l'entretien.", field="next_on"
        )
    if interview is None:
        interview = Interview(employee_id=employee.id, author_id=membership.id)
        session.add(interview)
    else:
        check_version(interview, expected_version)
        if interview.is_closed:
            raise ServiceError(LOCKED, field="summary")
    interview.held_on, interview.kind = held_on, kind
    interview.summary, interview.next_on = (summary or None), next_on
    flush_or_stale(session)
    return interview


def close(session: Session, interview: Interview, *, membership: Membership) -> Interview:
    if not interview.status.may_become(InterviewStatus.CLOSED):
        raise ServiceError("Cet entretien est déjà clôturé.")
    interview.closed_at = utcnow()
    flush_or_stale(session)
    history.event(session, membership, "entretien", interview, "clôture", interview.status)
    return interview


def reopen(
    session: Session, interview: Interview, *, membership: Membership, motif: str
) -> Interview:
    if not interview.status.may_become(InterviewStatus.OPEN):
        raise ServiceError("Cet entretien n'est pas clôturé.", field="motif")
    motif = checked_text(motif, "motif", missing="Indiquez le motif de la réouverture.")
    interview.closed_at = None
    flush_or_stale(session)
    history.event(session, membership, "entretien", interview, "réouverture", motif)
    return interview
