"""The evaluations section of a salarié's competency page (shown by the observations
blueprint): the competency's validated levels with their chart, its goals and séances."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Competency, Employee, Goal, LearningSession
from siae_app.services.evaluations import progress
from siae_app.services.evaluations.assessments import NOT_ASSESSED_CODE
from siae_app.services.evaluations.grids import default_scale


@dataclass
class CompetencyPanel:
    progress: progress.CompetencyProgress | None
    chart: Markup | None
    goals: list[Goal]
    seances: list[LearningSession]


def competency_panel(employee: Employee, competency: Competency) -> CompetencyPanel:
    found = progress.history(db.session, employee.id, competency.id)
    entry = found[0] if found else None
    chart = None
    if entry is not None:
        scale = default_scale(db.session)
        levels = [lv for lv in scale.levels if lv.code != NOT_ASSESSED_CODE] if scale else []
        chart = progress.svg_chart(entry, levels, f"chart-{competency.id.hex[:8]}")
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.employee_id == employee.id, Goal.competency_id == competency.id)
        .options(selectinload(Goal.target_level))
        .order_by(Goal.created_at)
    ).all()
    seances = db.session.scalars(
        select(LearningSession)
        .where(
            LearningSession.employee_id == employee.id,
            LearningSession.competency_id == competency.id,
        )
        .order_by(LearningSession.planned_on.desc())
    ).all()
    return CompetencyPanel(entry, chart, list(goals), list(seances))
