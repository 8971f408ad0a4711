"""Entretiens individuels of a salarié: list, record, edit while open, close, reopen."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.forms_common import FormFlow, see_other
from siae_app.blueprints.interviews import bp, loaders
from siae_app.blueprints.interviews.forms import InterviewForm, ReopenForm
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import ObjectPage
from siae_app.extensions import db
from siae_app.models import Employee, Interview, Membership
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError, history
from siae_app.services import interviews as service

INTERVIEW = FormFlow(
    InterviewForm,
    service.save_interview,
    fields=("held_on", "kind", "summary", "next_on"),
    error_field="summary",
    message="Entretien mis à jour.",
    back=".interview",
    back_with={"interview_id": "id"},
    versioned=True,
)
NEW_INTERVIEW = replace(
    INTERVIEW, error_field="held_on", message="Entretien enregistré.", versioned=False
)


def _list_page(employee: Employee, form: InterviewForm | None = None) -> str:
    interviews = db.session.scalars(
        select(Interview)
        .options(selectinload(Interview.author).selectinload(Membership.user))
        .where(Interview.employee_id == employee.id)
        .order_by(Interview.held_on.desc())
    ).all()
    return render(
        "interviews/list.html",
        employee=employee,
        interviews=interviews,
        form=form or InterviewForm(),
    )


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.INTERVIEWS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return _list_page(load_employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>")
@require(Perm.INTERVIEWS_EDIT)
def new_interview(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = partial(_list_page, employee)
    return NEW_INTERVIEW.new(page, None, employee=employee, membership=g.membership)


def _page(interview: Interview, form=None, reopen_form=None) -> str:
    if form is None:
        form = InterviewForm(obj=interview)
        form.version_id.data = str(interview.version_id)
    employee = db.session.get(Employee, interview.employee_id)
    return render(
        "interviews/interview.html",
        interview=interview,
        employee=employee,
        form=form,
        reopen_form=reopen_form or ReopenForm(),
        history=history.of_row(db.session, "entretien", interview.id),
    )


INTERVIEW_PAGE = ObjectPage("interview_id", loaders.interview, ".interview", _page)


@bp.get("/<uuid:interview_id>")
@require(Perm.INTERVIEWS_VIEW)
def interview(interview_id: uuid.UUID):
    return _page(loaders.interview(interview_id))


@bp.post("/<uuid:interview_id>")
@require(Perm.INTERVIEWS_EDIT)
def edit_interview(interview_id: uuid.UUID):
    interview = loaders.interview(interview_id)
    employee = db.session.get(Employee, interview.employee_id)
    page = partial(_page, interview)
    return INTERVIEW.edit(interview, page, employee=employee, membership=g.membership)


@bp.post("/<uuid:interview_id>/cloturer")
@require(Perm.INTERVIEWS_EDIT)
def close(interview_id: uuid.UUID):
    interview = loaders.interview(interview_id)
    try:
        service.close(db.session, interview, membership=g.membership)
    except ServiceError as exc:
        form = InterviewForm(obj=interview)
        form.summary.errors = [exc.message]
        return _page(interview, form=form), 422
    return see_other(".interview", "Entretien clôturé.", interview_id=interview.id)


@bp.post("/<uuid:interview_id>/rouvrir")
@require(Perm.INTERVIEWS_EDIT)
@INTERVIEW_PAGE.form(
    ReopenForm, "Entretien rouvert.", refused_as="reopen_form", error_field="motif"
)
def reopen(interview: Interview, form: ReopenForm):
    return service.reopen(db.session, interview, membership=g.membership, motif=form.motif.data)
