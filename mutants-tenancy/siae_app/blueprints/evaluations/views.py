"""A salarié's evaluations, and one assessment: lines, validations, lock, reopening."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from functools import partial

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.evaluations import bp, formsetup, loaders
from siae_app.blueprints.evaluations.forms import (
    GoalForm,
    GoalStatusForm,
    ItemForm,
    ReopenForm,
    SeanceForm,
    StartForm,
)
from siae_app.blueprints.forms_common import choices, see_other, submit, uuid_or_none, values
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import ObjectPage
from siae_app.extensions import db
from siae_app.models import (
    Assessment,
    AssessmentItem,
    Employee,
    Goal,
    GoalStatus,
    Grid,
    LearningSession,
    Membership,
    Observation,
)
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.evaluations import assessments as service
from siae_app.services.evaluations import grids, progress

# ------------------------------------------------------------------ the salarié's page


def goal_status_form(goal: Goal) -> GoalStatusForm:
    return GoalStatusForm(prefix=f"g{goal.id.hex}", data={"status": goal.status})


def employee_page(
    employee: Employee,
    *,
    start_form: StartForm | None = None,
    goal_form: GoalForm | None = None,
    seance_form: SeanceForm | None = None,
):
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.employee_id == employee.id)
        .options(selectinload(Assessment.author).selectinload(Membership.user))
        .order_by(Assessment.assessed_on.desc(), Assessment.created_at.desc())
    ).all()
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.employee_id == employee.id)
        .options(selectinload(Goal.target_level))
        .order_by(Goal.status != GoalStatus.OPEN, Goal.due_on, Goal.created_at)
    ).all()
    seances = db.session.scalars(
        select(LearningSession)
        .where(LearningSession.employee_id == employee.id)
        .order_by(LearningSession.planned_on.desc())
    ).all()
    history = progress.history(db.session, employee.id)
    comps = formsetup.competencies(employee)
    return render(
        "evaluations/employee.html",
        employee=employee,
        assessments=rows,
        by_id={a.id: a for a in rows},
        goals=goals,
        goal_forms={goal.id: goal_status_form(goal) for goal in goals},
        seances=seances,
        history=history,
        summary=progress.summary(history),
        start_form=formsetup.start_form(employee, start_form),
        goal_form=formsetup.goal_form(comps, formsetup.levels(), goal_form),
        seance_form=formsetup.seance_form(comps, seance_form),
        today=date.today(),
    )


# The salarié's page takes back the forms posted to it (start, goal, séance).
EMPLOYEE = ObjectPage("employee_id", load_employee, ".for_employee", employee_page)


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.EVALUATIONS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return employee_page(load_employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>")
@require(Perm.EVALUATIONS_WRITE)
@EMPLOYEE.form(
    StartForm,
    "Évaluation commencée.",
    refused_as="start_form",
    error_field="grid_id",
    to=(".assessment", "assessment_id"),
)
def start(employee: Employee, form: StartForm) -> Assessment:
    grid = grids.one(db.session, Grid, uuid_or_none(form.grid_id.data))
    if grid is None:
        raise ServiceError("Choisissez une grille.", field="grid_id")
    typed = values(form, ("kind", "assessed_on"))
    return service.start(db.session, g.membership, employee, grid, **typed)


# ------------------------------------------------------------------ one assessment


def _prefix(item: AssessmentItem) -> str:
    return f"l{item.position}"


def _item_form(assessment: Assessment, item: AssessmentItem, candidates, posted=None):
    """The form of one line: prefilled from the line, or the one just posted."""
    form = posted or ItemForm(
        prefix=_prefix(item),
        formdata=None,
        data={
            "level_id": str(item.level_id) if item.level_id else "",
            "self_answer": item.self_answer,
            "comment": item.comment,
            "evidence_ids": [str(e.observation_id) for e in item.evidence],
        },
    )
    form.level_id.choices = choices(
        [("", "Non évalué")] + [(lv.id, lv.label) for lv in service.levels_of(assessment)]
    )
    form.evidence_ids.choices = choices(
        (o.id, o.text) for o in candidates.get(item.competency_id, [])
    )
    return form


def _visible_evidence(assessment: Assessment) -> set[uuid.UUID]:
    """Ids of the evidence observations this reader may see (sensitive ones hide)."""
    ids = {e.observation_id for i in assessment.items for e in i.evidence}
    if not ids:
        return set()
    stmt = scopes.observations(g.membership, select(Observation.id))
    return set(db.session.scalars(stmt.where(Observation.id.in_(ids))))


def assessment_page(assessment: Assessment, *, posted=None, reopen_form=None):
    """``posted``: (item id, form) of a line sent with an error, shown as it was typed."""
    employee = db.session.get(Employee, assessment.employee_id)
    visible = scopes.observations(g.membership)
    candidates = service.evidence_candidates(
        db.session,
        visible,
        assessment,
        {i.competency_id for i in assessment.items},
        limit=service.EVIDENCE_SHOWN,
    )
    posted_id, posted_form = posted or (None, None)
    forms = {
        item.id: _item_form(
            assessment, item, candidates, posted_form if item.id == posted_id else None
        )
        for item in assessment.items
    }
    return render(
        "evaluations/assessment.html",
        assessment=assessment,
        employee=employee,
        forms=forms,
        candidates=candidates,
        visible_evidence=_visible_evidence(assessment),
        reopen_form=reopen_form or ReopenForm(),
        saved_position=request.args.get("ligne", type=int),
    )


ASSESSMENT = ObjectPage(
    "assessment_id", partial(loaders.assessment, full=True), ".assessment", assessment_page
)


@bp.get("/<uuid:assessment_id>")
@require(Perm.EVALUATIONS_VIEW)
def assessment(assessment_id: uuid.UUID):
    return assessment_page(loaders.assessment(assessment_id, full=True))


@bp.post("/<uuid:assessment_id>/lignes/<uuid:assessment_item_id>")
@require(Perm.EVALUATIONS_WRITE)
def set_item(assessment_id: uuid.UUID, assessment_item_id: uuid.UUID):
    assessment = loaders.assessment(assessment_id, full=True)
    item = loaders.assessment_item(assessment, assessment_item_id)
    form = ItemForm(prefix=_prefix(item))

    def save():
        answer = service.ItemAnswer(
            level_id=uuid_or_none(form.level_id.data),
            self_answer=form.self_answer.data or None,
            comment=form.comment.data,
            evidence_ids=[i for i in map(uuid_or_none, form.evidence_ids.data or []) if i],
        )
        return service.set_item(db.session, item, answer, visible=scopes.observations(g.membership))

    return submit(
        form,
        save,
        done=lambda saved: see_other(
            ".assessment",
            f"« {saved.label[:60]} » enregistré.",
            anchor=f"ligne-{saved.position}",
            assessment_id=assessment.id,
            ligne=saved.position,
        ),
        page=lambda: assessment_page(assessment, posted=(item.id, form)),
        error_field="self_answer" if assessment.kind == "self" else "level_id",
    )


@bp.post("/<uuid:assessment_id>/rouvrir")
@require(Perm.EVALUATIONS_WRITE)
@ASSESSMENT.form(
    ReopenForm,
    "Évaluation rouverte pour correction : les validations sont à redonner.",
    refused_as="reopen_form",
    error_field="motif",
)
def reopen(assessment: Assessment, form: ReopenForm):
    return service.reopen(db.session, assessment, g.membership, form.motif.data)


STEP = replace(ASSESSMENT, load=loaders.assessment)  # a step reads no line of the assessment


@bp.post("/<uuid:assessment_id>/vu-avec-le-salarie")
@require(Perm.EVALUATIONS_WRITE)
@STEP.button("Évaluation vue avec le salarié.")
def seen(assessment: Assessment) -> None:
    service.mark_seen(db.session, assessment, g.membership)


@bp.post("/<uuid:assessment_id>/validation-eti")
@require(Perm.EVALUATIONS_WRITE)
@STEP.button("Validation de l'encadrant enregistrée.")
def validate_eti(assessment: Assessment) -> None:
    service.validate_eti(db.session, assessment, g.membership)


@bp.post("/<uuid:assessment_id>/validation-cip")
@require(Perm.EVALUATIONS_VALIDATE_CIP)
@STEP.button("Validation de la CIP enregistrée.")
def validate_cip(assessment: Assessment) -> None:
    service.validate_cip(db.session, assessment, g.membership)
