"""Objectifs de progression: a target level on a competency by a date, reported on by the
next validated assessment (reached when the level given is at least the target)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Assessment,
    AssessmentItem,
    Competency,
    Employee,
    Goal,
    GoalStatus,
    Level,
    Membership,
)
from siae_app.services import ServiceError
from siae_app.services.evaluations.progress import competency_lines

MAX_LABEL = 500


def _checked_label(label: str | None, competency: Competency | None) -> str:
    label = (label or "").strip()
    if not label and competency is not None:
        label = competency.title
    if not label:
        raise ServiceError("Décrivez l'objectif ou choisissez une compétence.", field="label")
    if len(label) > MAX_LABEL:
        raise ServiceError(f"{MAX_LABEL} caractères au maximum.", field="label")
    return label


def create(
    session: Session,
    author: Membership,
    employee: Employee,
    *,
    competency: Competency | None,
    label: str | None,
    target_level: Level | None,
    due_on: date | None,
) -> Goal:
    if competency is None:
        raise ServiceError("Choisissez la compétence visée.", field="competency_id")
    if target_level is None:
        raise ServiceError("Choisissez le niveau visé.", field="target_level_id")
    if due_on is not None and due_on < date.today():
        raise ServiceError("L'échéance ne peut pas être déjà passée.", field="due_on")
    goal = Goal(
        employee_id=employee.id,
        competency_id=competency.id,
        label=_checked_label(label, competency),
        target_level_id=target_level.id,
        due_on=due_on,
        author_id=author.id,
        status=GoalStatus.OPEN,
    )
    session.add(goal)
    session.flush()
    return goal


def set_status(session: Session, goal: Goal, status: str) -> Goal:
    """By hand, any status (« atteint » and « non atteint » come from assessments too)."""
    try:
        chosen = GoalStatus(status)
    except ValueError:
        raise ServiceError("Statut inconnu.", field="status") from None
    goal.status = chosen
    session.flush()
    return goal


def report(session: Session, assessment: Assessment) -> list[Goal]:
    """A validated assessment reports on the open goals of the competencies it rated:
    reached when the level's rank is at least the target's; else still open, or missed once
    the due date is past. The goal remembers the assessment that reported on it."""
    rated = {
        item.competency_id: item
        for item in session.scalars(
            competency_lines(select(AssessmentItem)).where(
                AssessmentItem.assessment_id == assessment.id,
                AssessmentItem.level_rank.is_not(None),
            )
        )
    }
    if not rated:
        return []
    open_goals = session.scalars(
        select(Goal).where(
            Goal.employee_id == assessment.employee_id,
            Goal.status == GoalStatus.OPEN,
            Goal.competency_id.in_(rated),
        )
    ).all()
    targets = {
        lv.id: lv
        for lv in session.scalars(
            select(Level).where(Level.id.in_({g.target_level_id for g in open_goals}))
        )
    }
    for goal in open_goals:
        item = rated[goal.competency_id]
        target = targets.get(goal.target_level_id)
        goal.reported_in_id = assessment.id
        if target is None or item.level_rank >= target.position:
            goal.status = GoalStatus.REACHED
        elif goal.due_on is not None and goal.due_on < assessment.assessed_on:
            goal.status = GoalStatus.MISSED
    session.flush()
    return list(open_goals)


def unreport(session: Session, assessment: Assessment) -> None:
    """A reopened assessment no longer reports: its goals are open again until it is
    validated anew."""
    for goal in session.scalars(select(Goal).where(Goal.reported_in_id == assessment.id)):
        goal.status = GoalStatus.OPEN
        goal.reported_in_id = None
    session.flush()
