"""Objectifs de progression and séances d'apprentissage (AFEST) of a salarié."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import select

from siae_app.blueprints.evaluations import bp, formsetup, loaders
from siae_app.blueprints.evaluations.forms import (
    GoalForm,
    GoalStatusForm,
    SeanceForm,
    SeanceUpdateForm,
)
from siae_app.blueprints.evaluations.views import EMPLOYEE, employee_page
from siae_app.blueprints.forms_common import (
    choices,
    edit_form,
    see_other,
    submit,
    uuid_or_none,
    values,
)
from siae_app.blueprints.routes_common import ObjectPage
from siae_app.extensions import db
from siae_app.models import Assessment, Competency, Employee, Goal, LearningSession, Level
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.evaluations import goals, grids, learning


def _competency(employee: Employee, raw: str | None) -> Competency | None:
    wanted = uuid_or_none(raw)
    return next((c for c in formsetup.competencies(employee) if c.id == wanted), None)


@bp.post("/salarie/<uuid:employee_id>/objectifs")
@require(Perm.EVALUATIONS_WRITE)
@EMPLOYEE.form(
    GoalForm,
    "Objectif ajouté.",
    refused_as="goal_form",
    error_field="competency_id",
    anchor="objectifs",
)
def new_goal(employee: Employee, form: GoalForm) -> Goal:
    level_id = uuid_or_none(form.target_level_id.data)
    return goals.create(
        db.session,
        g.membership,
        employee,
        competency=_competency(employee, form.competency_id.data),
        label=form.label.data,
        target_level=grids.one(db.session, Level, level_id),
        due_on=form.due_on.data,
    )


@bp.post("/objectifs/<uuid:goal_id>")
@require(Perm.EVALUATIONS_WRITE)
def goal_status(goal_id: uuid.UUID):
    goal = loaders.goal(goal_id)
    form = GoalStatusForm(prefix=f"g{goal.id.hex}")
    employee = db.session.get(Employee, goal.employee_id)
    return submit(
        form,
        lambda: goals.set_status(db.session, goal, form.status.data),
        done=lambda _: see_other(
            ".for_employee", "Objectif mis à jour.", anchor="objectifs", employee_id=employee.id
        ),
        page=lambda: employee_page(employee),
        error_field="status",
    )


@bp.post("/salarie/<uuid:employee_id>/seances")
@require(Perm.EVALUATIONS_WRITE)
@EMPLOYEE.form(
    SeanceForm,
    "Séance planifiée.",
    refused_as="seance_form",
    error_field="competency_id",
    to=(".seance", "seance_id"),
)
def new_seance(employee: Employee, form: SeanceForm) -> LearningSession:
    competency = _competency(employee, form.competency_id.data)
    typed = values(form, ("work_situation", "planned_on"))
    return learning.plan(db.session, g.membership, employee, competency=competency, **typed)


def _seance_form(seance: LearningSession, form: SeanceUpdateForm) -> SeanceUpdateForm:
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.employee_id == seance.employee_id)
        .order_by(Assessment.assessed_on.desc())
    ).all()
    form.assessment_id.choices = choices(
        [("", "— Pas encore —")]
        + [(a.id, f"{a.kind_label} du {a.assessed_on.strftime('%d/%m/%Y')}") for a in rows]
    )
    return form


def _seance_page(seance: LearningSession, form: SeanceUpdateForm | None = None):
    if form is None:
        form = edit_form(SeanceUpdateForm, seance)
        form.assessment_id.data = str(seance.assessment_id) if seance.assessment_id else ""
    return render(
        "evaluations/seance.html",
        seance=seance,
        employee=db.session.get(Employee, seance.employee_id),
        form=_seance_form(seance, form),
    )


SEANCE = ObjectPage("seance_id", loaders.seance, ".seance", _seance_page)


@bp.get("/seances/<uuid:seance_id>")
@require(Perm.EVALUATIONS_VIEW)
def seance(seance_id: uuid.UUID):
    return _seance_page(loaders.seance(seance_id))


@bp.post("/seances/<uuid:seance_id>")
@require(Perm.EVALUATIONS_WRITE)
@SEANCE.form(SeanceUpdateForm, "Séance enregistrée.", refused_as="form", error_field="status")
def edit_seance(seance: LearningSession, form: SeanceUpdateForm) -> LearningSession:
    assessment_id = uuid_or_none(form.assessment_id.data)
    # Any assessment the reader may see; the service refuses another salarié's.
    linked = (
        db.session.scalar(
            scopes.employee_rows(g.membership, Assessment).where(Assessment.id == assessment_id)
        )
        if assessment_id
        else None
    )
    change = learning.SeanceUpdate(
        status=form.status.data, reflection=form.reflection.data, assessment=linked
    )
    return learning.update(db.session, seance, change)
