"""Séquences d'apprentissage en situation de travail (AFEST): a séance planned by the ETI on
a competency and a work situation, held with its reflexive note, then evaluated (linked to the
assessment that follows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import (
    Assessment,
    Competency,
    Employee,
    LearningSession,
    LearningStatus,
    Membership,
)
from siae_app.services import ServiceError, checked_text

MAX_SITUATION = 1000
MAX_REFLECTION = 4000


def plan(
    session: Session,
    author: Membership,
    employee: Employee,
    *,
    competency: Competency | None,
    work_situation: str | None,
    planned_on: date | None,
) -> LearningSession:
    if competency is None:
        raise ServiceError("Choisissez la compétence travaillée.", field="competency_id")
    situation = checked_text(
        work_situation,
        "work_situation",
        missing="Décrivez la situation de travail.",
        max_len=MAX_SITUATION,
    )
    if planned_on is None:
        raise ServiceError("Indiquez la date de la séance.", field="planned_on")
    seance = LearningSession(
        employee_id=employee.id,
        competency_id=competency.id,
        competency_label=competency.title,
        work_situation=situation,
        planned_on=planned_on,
        status=LearningStatus.PLANNED,
        author_id=author.id,
    )
    session.add(seance)
    session.flush()
    return seance


@dataclass
class SeanceUpdate:
    status: str
    reflection: str | None = None
    assessment: Assessment | None = None


def update(session: Session, seance: LearningSession, change: SeanceUpdate) -> LearningSession:
    """Record how the séance went: its status, the reflexive sequence, the evaluation."""
    try:
        status = LearningStatus(change.status)
    except ValueError:
        raise ServiceError("Statut inconnu.", field="status") from None
    reflection = checked_text(change.reflection, "reflection", max_len=MAX_REFLECTION)
    if status is LearningStatus.HELD and seance.planned_on > date.today():
        raise ServiceError("Une séance à venir ne peut pas être déjà réalisée.", field="status")
    if change.assessment is not None and change.assessment.employee_id != seance.employee_id:
        raise ServiceError("Cette évaluation concerne un autre salarié.", field="assessment_id")
    if change.assessment is not None and status is not LearningStatus.HELD:
        raise ServiceError(
            "Seule une séance réalisée est suivie d'une évaluation.", field="assessment_id"
        )
    seance.status = status
    seance.reflection = reflection
    seance.assessment_id = change.assessment.id if change.assessment else None
    session.flush()
    return seance
