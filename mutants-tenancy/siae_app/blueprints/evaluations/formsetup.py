"""The choices of the evaluation forms, read once per page."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.blueprints.evaluations.forms import GoalForm, SeanceForm, StartForm
from siae_app.blueprints.forms_common import choices
from siae_app.extensions import db
from siae_app.models import Competency, Employee, Grid, GridItem, Level, Team
from siae_app.services.evaluations import grids
from siae_app.services.evaluations.assessments import NOT_ASSESSED_CODE
from siae_app.services.observations import competencies_for


def competencies(employee: Employee) -> list[Competency]:
    """Competencies one may aim at for this salarié: those of their team's frameworks and
    those of the grids in use (a salarié without a team is still evaluated on a grid)."""
    in_grids = (
        select(GridItem.competency_id)
        .join(Grid, Grid.id == GridItem.grid_id)
        .where(Grid.is_archived.is_(False), GridItem.is_archived.is_(False))
    )
    team_ids = competencies_for(employee).with_only_columns(Competency.id)
    return list(
        db.session.scalars(
            select(Competency)
            .where(Competency.id.in_(in_grids) | Competency.id.in_(team_ids))
            .where(Competency.is_archived.is_(False))
            .order_by(Competency.title)
        )
    )


def levels() -> list[Level]:
    scale = grids.default_scale(db.session)
    return [lv for lv in scale.levels if lv.code != NOT_ASSESSED_CODE] if scale else []


def employee_activity_id(employee: Employee) -> uuid.UUID | None:
    if employee.team_id is None:
        return None
    return db.session.scalar(select(Team.activity_id).where(Team.id == employee.team_id))


def start_form(employee: Employee, form: StartForm | None = None) -> StartForm:
    form = form or StartForm()
    offered = grids.grids_for_activity(db.session, employee_activity_id(employee))
    form.grid_id.choices = choices((g.id, g.name) for g in offered)
    return form


def goal_form(comps: list[Competency], lvls: list[Level], form: GoalForm | None = None):
    form = form or GoalForm()
    form.competency_id.choices = choices([("", "— Choisir —")] + [(c.id, c.title) for c in comps])
    form.target_level_id.choices = choices(
        [("", "— Choisir —")] + [(lv.id, lv.label) for lv in lvls]
    )
    return form


def seance_form(comps: list[Competency], form: SeanceForm | None = None) -> SeanceForm:
    form = form or SeanceForm()
    form.competency_id.choices = choices([("", "— Choisir —")] + [(c.id, c.title) for c in comps])
    return form
