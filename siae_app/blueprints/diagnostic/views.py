"""Diagnostic of a salarié: freins (sensitive ones filtered on the server), atouts, notes,
objectifs de parcours; the structure's list of axes."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.blueprints.diagnostic import bp, loaders
from siae_app.blueprints.diagnostic.forms import (
    AxisForm,
    BarrierForm,
    NoteForm,
    ObjectiveForm,
    StrengthForm,
)
from siae_app.blueprints.forms_common import choices, edit_form, see_other, submit
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


def _page(employee: Employee, **given) -> str:
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


def _done(employee: Employee, message: str, anchor: str):
    return lambda _saved: see_other(".page", message, anchor=anchor, employee_id=employee.id)


@bp.get("/<uuid:employee_id>")
@require(Perm.DIAGNOSTIC_VIEW)
def page(employee_id: uuid.UUID):
    return _page(loaders.employee(employee_id))


def _axis_from(form_value: str | None, allowed_axes: list[BarrierAxis]) -> BarrierAxis | None:
    by_id = {str(a.id): a for a in allowed_axes}
    return by_id.get(form_value or "")


@bp.post("/<uuid:employee_id>/freins")
@require(Perm.DIAGNOSTIC_EDIT)
def add_barrier(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = BarrierForm(prefix="frein")
    _axis_choices(form.axis_id, service.writable_axes(db.session, g.membership), "— Choisir —")
    return submit(
        form,
        lambda: service.save_barrier(
            db.session,
            None,
            employee=employee,
            membership=g.membership,
            axis=_axis_from(form.axis_id.data, service.writable_axes(db.session, g.membership)),
            status=form.status.data,
            level=int(form.level.data) if form.level.data else None,
            comment=form.comment.data,
        ),
        done=_done(employee, "Frein enregistré.", "freins"),
        page=lambda: _page(employee, barrier_form=form),
        error_field="axis_id",
    )


def _barrier_page(barrier: Barrier, form: BarrierForm | None = None) -> str:
    if barrier.is_sensitive:
        service.log_sensitive_view(db.session, g.membership, barrier.employee)
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


@bp.post("/freins/<uuid:barrier_id>")
@require(Perm.DIAGNOSTIC_EDIT)
def edit_barrier(barrier_id: uuid.UUID):
    barrier = loaders.barrier(barrier_id)
    form = BarrierForm(prefix="frein")
    axes = service.writable_axes(db.session, g.membership)
    if barrier.axis not in axes:
        axes = [barrier.axis, *axes]
    _axis_choices(form.axis_id, axes)
    version = form.version_id.data
    return submit(
        form,
        lambda: service.save_barrier(
            db.session,
            barrier,
            employee=barrier.employee,
            membership=g.membership,
            axis=_axis_from(form.axis_id.data, axes),
            status=form.status.data,
            level=int(form.level.data) if form.level.data else None,
            comment=form.comment.data,
            expected_version=int(version) if version and version.isdigit() else None,
        ),
        done=lambda saved: see_other(".barrier", "Frein mis à jour.", barrier_id=saved.id),
        page=lambda: _barrier_page(barrier, form),
        error_field="status",
    )


@bp.post("/<uuid:employee_id>/atouts")
@require(Perm.DIAGNOSTIC_EDIT)
def add_strength(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = StrengthForm(prefix="atout")
    plain = [a for a in service.axes(db.session) if not a.is_sensitive]
    _axis_choices(form.axis_id, plain, "— Aucun —")
    return submit(
        form,
        lambda: service.add_strength(
            db.session,
            employee=employee,
            membership=g.membership,
            text=form.text.data,
            axis=_axis_from(form.axis_id.data, plain),
        ),
        done=_done(employee, "Atout enregistré.", "atouts"),
        page=lambda: _page(employee, strength_form=form),
        error_field="text",
    )


@bp.post("/<uuid:employee_id>/notes")
@require(Perm.DIAGNOSTIC_EDIT)
def add_note(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = NoteForm(prefix="note")
    return submit(
        form,
        lambda: service.add_note(
            db.session,
            employee=employee,
            membership=g.membership,
            body=form.body.data,
            is_confidential=bool(form.is_confidential.data),
        ),
        done=_done(employee, "Note enregistrée.", "notes"),
        page=lambda: _page(employee, note_form=form),
        error_field="body",
    )


def _save_objective(employee, objective, done_message: str, page):
    """Add (``objective`` None) or update an objectif: a frein may be linked only if it is one
    the reader sees and not sensitive."""
    form = ObjectiveForm(prefix="objectif")
    barriers = service.load(db.session, g.membership, employee).barriers
    form.barrier_id.choices = _barrier_choices(barriers)
    linked = {str(b.id): b for b in barriers if not b.is_sensitive}
    return submit(
        form,
        lambda: service.save_objective(
            db.session,
            objective,
            employee=employee,
            label=form.label.data,
            origin=form.origin.data,
            due_date=form.due_date.data,
            status=form.status.data,
            barrier=linked.get(form.barrier_id.data or ""),
        ),
        done=_done(employee, done_message, "objectifs"),
        page=lambda: page(form),
        error_field="label",
    )


@bp.post("/<uuid:employee_id>/objectifs")
@require(Perm.DIAGNOSTIC_EDIT)
def add_objective(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    return _save_objective(
        employee,
        None,
        "Objectif enregistré.",
        lambda form: _page(employee, objective_form=form),
    )


def _objective_page(objective, form: ObjectiveForm | None = None) -> str:
    employee = loaders.employee(objective.employee_id)
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
    employee = loaders.employee(objective.employee_id)
    return _save_objective(
        employee,
        objective,
        "Objectif mis à jour.",
        lambda form: _objective_page(objective, form),
    )


# ------------------------------------------------------------------ axes


def _axes_page(form: AxisForm | None = None) -> str:
    return render(
        "diagnostic/axes.html",
        axes=service.axes(db.session, include_archived=True),
        form=form or AxisForm(),
    )


@bp.route("/axes", methods=["GET", "POST"])
@require(Perm.DIAGNOSTIC_AXES_MANAGE)
def axes():
    form = AxisForm()
    return submit(
        form,
        lambda: service.save_axis(
            db.session, None, label=form.label.data, is_sensitive=bool(form.is_sensitive.data)
        ),
        done=lambda saved: see_other(".axes", f"Axe « {saved.label} » ajouté."),
        page=lambda: _axes_page(form),
        error_field="label",
    )


@bp.route("/axes/<uuid:axis_id>", methods=["GET", "POST"])
@require(Perm.DIAGNOSTIC_AXES_MANAGE)
def edit_axis(axis_id: uuid.UUID):
    axis = loaders.axis(axis_id)
    form = edit_form(AxisForm, axis)
    return submit(
        form,
        lambda: service.save_axis(
            db.session,
            axis,
            label=form.label.data,
            is_sensitive=bool(form.is_sensitive.data),
            is_archived=bool(form.is_archived.data),
        ),
        done=lambda saved: see_other(".axes", f"Axe « {saved.label} » enregistré."),
        page=lambda: render("diagnostic/axis_form.html", axis=axis, form=form),
        error_field="label",
    )
