"""Diagnostic of a salarié: freins (sensitive ones filtered on the server), atouts, notes,
objectifs de parcours; the structure's list of axes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial

from flask import g

from siae_app.blueprints.diagnostic import bp, loaders
from siae_app.blueprints.diagnostic.forms import (
    AxisForm,
    BarrierForm,
    NoteForm,
    ObjectiveForm,
    StrengthForm,
)
from siae_app.blueprints.forms_common import FormFlow, choices, form_page, int_or_none
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.models import Barrier, BarrierAxis, Employee
from siae_app.models.diagnostic import (
    BARRIER_LEVELS,
    BARRIER_STATUSES,
    OBJECTIVE_ORIGINS,
    OBJECTIVE_STATUSES,
)
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import diagnostic as service

# Each form of the diagnostic, declared once; a success goes back to the section it changed.
TO_FILE = {"employee_id": "employee_id"}
BARRIER = FormFlow(
    BarrierForm,
    service.save_barrier,
    fields=("status", "comment"),
    prefix="frein",
    error_field="status",
    message="Frein mis à jour.",
    back=".barrier",
    back_with={"barrier_id": "id"},
    versioned=True,
    converted={"level": int_or_none},
)
NEW_BARRIER = replace(
    BARRIER,
    error_field="axis_id",
    message="Frein enregistré.",
    back=".page",
    back_with=TO_FILE,
    anchor="freins",
    versioned=False,
)
STRENGTH = FormFlow(
    StrengthForm,
    service.add_strength,
    fields=("text",),
    prefix="atout",
    error_field="text",
    message="Atout enregistré.",
    back=".page",
    back_with=TO_FILE,
    anchor="atouts",
)
NOTE = replace(
    STRENGTH,
    form=NoteForm,
    save=service.add_note,
    fields=("body",),
    flags=("is_confidential",),
    prefix="note",
    error_field="body",
    message="Note enregistrée.",
    anchor="notes",
)
OBJECTIVE = replace(
    STRENGTH,
    form=ObjectiveForm,
    save=service.save_objective,
    fields=("label", "origin", "due_date", "status"),
    prefix="objectif",
    error_field="label",
    message="Objectif enregistré.",
    anchor="objectifs",
)
EDITED_OBJECTIVE = replace(OBJECTIVE, message="Objectif mis à jour.")
AXIS = FormFlow(
    AxisForm,
    service.save_axis,
    fields=("label",),
    flags=("is_sensitive", "is_archived"),
    error_field="label",
    message="Axe « {0.label} » enregistré.",
    back=".axes",
)
NEW_AXIS = replace(AXIS, message="Axe « {0.label} » ajouté.")


def _axis_choices(form_field, axes: list[BarrierAxis], blank: str | None = None) -> None:
    pairs = [(a.id, a.label + (" (sensible)" if a.is_sensitive else "")) for a in axes]
    form_field.choices = choices(([("", blank)] if blank is not None else []) + pairs)


def _barrier_choices(barriers: list[Barrier]):
    """Freins an objective may be linked to: never a sensitive one (a <select> option cannot
    be wrapped in ``data-sensitive``, and the objective itself is not sensitive)."""
    plain = [b for b in barriers if not b.is_sensitive]
    return choices([("", "— Aucun —")] + [(b.id, b.axis.label) for b in plain])


def _forms(employee: Employee, diagnostic: service.Diagnostic, **given):
    barrier_form = given.get("barrier_form") or BarrierForm(prefix="frein")
    _axis_choices(
        barrier_form.axis_id, service.writable_axes(db.session, g.membership), "— Choisir —"
    )
    strength_form = given.get("strength_form") or StrengthForm(prefix="atout")
    plain = [a for a in service.axes(db.session) if not a.is_sensitive]
    _axis_choices(strength_form.axis_id, plain, "— Aucun —")
    objective_form = given.get("objective_form") or ObjectiveForm(prefix="objectif")
    objective_form.barrier_id.choices = _barrier_choices(diagnostic.barriers)
    return {
        "barrier_form": barrier_form,
        "strength_form": strength_form,
        "note_form": given.get("note_form") or NoteForm(prefix="note"),
        "objective_form": objective_form,
    }


def _page(employee: Employee, form_name: str = "", form=None) -> str:
    """The diagnostic page; ``form_name`` names the form sent back with what was typed."""
    given = {form_name: form} if form_name else {}
    diagnostic = service.load(db.session, g.membership, employee)
    return render(
        "diagnostic/page.html",
        employee=employee,
        diagnostic=diagnostic,
        statuses=BARRIER_STATUSES,
        levels=BARRIER_LEVELS,
        objective_statuses=OBJECTIVE_STATUSES,
        **_forms(employee, diagnostic, **given),
    )


@bp.get("/<uuid:employee_id>")
@require(Perm.DIAGNOSTIC_VIEW)
def page(employee_id: uuid.UUID):
    return _page(load_employee(employee_id))


def _axis_from(form_value: str | None, allowed_axes: list[BarrierAxis]) -> BarrierAxis | None:
    by_id = {str(a.id): a for a in allowed_axes}
    return by_id.get(form_value or "")


def _axis_value(form, axes: list[BarrierAxis]):
    """The axe chosen (among ``axes`` only), read once the form is valid."""
    return lambda: {"axis": _axis_from(form.axis_id.data, axes)}


@bp.post("/<uuid:employee_id>/freins")
@require(Perm.DIAGNOSTIC_EDIT)
def add_barrier(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    form = NEW_BARRIER.blank()
    axes = service.writable_axes(db.session, g.membership)
    _axis_choices(form.axis_id, axes, "— Choisir —")
    page = partial(_page, employee, "barrier_form")
    more = _axis_value(form, axes)
    return NEW_BARRIER.run(form, page, None, employee=employee, membership=g.membership, more=more)


def _barrier_page(barrier: Barrier, form: BarrierForm | None = None) -> str:
    if form is None:
        form = BarrierForm(prefix="frein", obj=barrier)
        form.axis_id.data = str(barrier.axis_id)
        form.level.data = str(barrier.level or "")
        form.version_id.data = str(barrier.version_id)
    axes = service.writable_axes(db.session, g.membership)
    if barrier.axis not in axes:
        axes = [barrier.axis, *axes]
    _axis_choices(form.axis_id, axes)
    return render(
        "diagnostic/barrier.html",
        barrier=barrier,
        employee=barrier.employee,
        form=form,
        history=service.barrier_history(db.session, barrier, g.membership),
        statuses=BARRIER_STATUSES,
    )


@bp.get("/freins/<uuid:barrier_id>")
@require(Perm.DIAGNOSTIC_VIEW)
def barrier(barrier_id: uuid.UUID):
    return _barrier_page(loaders.barrier(barrier_id))


def _barrier_axes(barrier: Barrier) -> list[BarrierAxis]:
    """The axes a frein may move to: the writable ones, and its own even when it is not."""
    axes = service.writable_axes(db.session, g.membership)
    return axes if barrier.axis in axes else [barrier.axis, *axes]


@bp.post("/freins/<uuid:barrier_id>")
@require(Perm.DIAGNOSTIC_EDIT)
def edit_barrier(barrier_id: uuid.UUID):
    barrier = loaders.barrier(barrier_id)
    form = BARRIER.blank()
    axes = _barrier_axes(barrier)
    _axis_choices(form.axis_id, axes)
    employee, more = barrier.employee, _axis_value(form, axes)
    page = partial(_barrier_page, barrier)
    return BARRIER.run(form, page, barrier, employee=employee, membership=g.membership, more=more)


@bp.post("/<uuid:employee_id>/atouts")
@require(Perm.DIAGNOSTIC_EDIT)
def add_strength(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    form = STRENGTH.blank()
    plain = [a for a in service.axes(db.session) if not a.is_sensitive]
    _axis_choices(form.axis_id, plain, "— Aucun —")
    more = _axis_value(form, plain)
    page = partial(_page, employee, "strength_form")
    return STRENGTH.run(form, page, employee=employee, membership=g.membership, more=more)


@bp.post("/<uuid:employee_id>/notes")
@require(Perm.DIAGNOSTIC_EDIT)
def add_note(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = partial(_page, employee, "note_form")
    return NOTE.new(page, employee=employee, membership=g.membership)


def _save_objective(flow: FormFlow, employee, objective, page):
    """Add (``objective`` None) or update an objectif: a frein may be linked only if it is one
    the reader sees and not sensitive."""
    form = flow.blank()
    barriers = service.load(db.session, g.membership, employee).barriers
    form.barrier_id.choices = _barrier_choices(barriers)
    linked = {str(b.id): b for b in barriers if not b.is_sensitive}

    def barrier() -> dict:
        return {"barrier": linked.get(form.barrier_id.data or "")}

    return flow.run(form, page, objective, employee=employee, more=barrier)


@bp.post("/<uuid:employee_id>/objectifs")
@require(Perm.DIAGNOSTIC_EDIT)
def add_objective(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = partial(_page, employee, "objective_form")
    return _save_objective(OBJECTIVE, employee, None, page)


def _objective_page(objective, form: ObjectiveForm | None = None) -> str:
    employee = load_employee(objective.employee_id)
    if form is None:
        form = ObjectiveForm(prefix="objectif", obj=objective)
        form.barrier_id.data = str(objective.barrier_id or "")
    form.barrier_id.choices = _barrier_choices(
        service.load(db.session, g.membership, employee).barriers
    )
    return render(
        "diagnostic/objective.html",
        objective=objective,
        employee=employee,
        form=form,
        objective_statuses=OBJECTIVE_STATUSES,
        origins=OBJECTIVE_ORIGINS,
    )


@bp.get("/objectifs/<uuid:objective_id>")
@require(Perm.DIAGNOSTIC_VIEW)
def objective(objective_id: uuid.UUID):
    return _objective_page(loaders.objective(objective_id))


@bp.post("/objectifs/<uuid:objective_id>")
@require(Perm.DIAGNOSTIC_EDIT)
def edit_objective(objective_id: uuid.UUID):
    objective = loaders.objective(objective_id)
    employee = load_employee(objective.employee_id)
    page = partial(_objective_page, objective)
    return _save_objective(EDITED_OBJECTIVE, employee, objective, page)


# ------------------------------------------------------------------ axes


def _axes_page(form: AxisForm) -> str:
    axes = service.axes(db.session, include_archived=True)
    return render("diagnostic/axes.html", axes=axes, form=form)


def _axis_page(axis: BarrierAxis):
    return form_page("diagnostic/axis_form.html", axis=axis)


@bp.route("/axes", methods=GET_POST)
@require(Perm.DIAGNOSTIC_AXES_MANAGE)
def axes():
    return NEW_AXIS.new(_axes_page, None)


@bp.route("/axes/<uuid:axis_id>", methods=GET_POST)
@require(Perm.DIAGNOSTIC_AXES_MANAGE)
def edit_axis(axis_id: uuid.UUID):
    axis = loaders.axis(axis_id)
    return AXIS.edit(axis, _axis_page(axis))
