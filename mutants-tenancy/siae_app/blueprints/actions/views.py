"""Pistes d'action of a salarié: list, quick-add « + Action », edit with history."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.actions import bp, loaders
from siae_app.blueprints.actions.forms import ActionForm, QuickActionForm
from siae_app.blueprints.forms_common import FormFlow, choices, form_page, uuid_or_none
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.extensions import db
from siae_app.models import Action, Employee, Membership, Role
from siae_app.models.actions import ACTION_NATURES, ACTION_STATUSES
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import actions as service
from siae_app.services import history
from siae_app.services import partners as partner_service

FOLLOWERS = frozenset({Role.ETI, Role.CIP, Role.COORDINATOR})
ACTION = FormFlow(
    ActionForm,
    service.save_action,
    fields=("label", "nature", "due_date", "status", "result", "minutes_spent"),
    error_field="label",
    message="Action enregistrée.",
    back=".action",
    back_with={"action_id": "id"},
    versioned=True,
    converted={"owner_id": uuid_or_none},
)
QUICK_ACTION = replace(
    ACTION,
    form=QuickActionForm,
    save=service.quick_add,
    fields=("label",),
    message="Action ajoutée : complétez-la si besoin.",
    versioned=False,
    converted={},
)


def _owners() -> list[Membership]:
    rows = db.session.scalars(
        select(Membership)
        .options(selectinload(Membership.user))
        .where(Membership.is_active.is_(True))
    ).all()
    return sorted(
        (m for m in rows if m.role_set & FOLLOWERS), key=lambda m: m.user.full_name.casefold()
    )


def _list_page(employee: Employee) -> str:
    actions = db.session.scalars(
        select(Action)
        .options(
            selectinload(Action.partner),
            selectinload(Action.owner).selectinload(Membership.user),
        )
        .where(Action.employee_id == employee.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.created_at)
    ).all()
    return render(
        "actions/list.html",
        employee=employee,
        actions=actions,
        statuses=ACTION_STATUSES,
        natures=ACTION_NATURES,
    )


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.ACTIONS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return _list_page(load_employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>/rapide")
@require(Perm.ACTIONS_EDIT)
def quick_add(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = form_page("actions/quick_add_page.html", employee=employee)
    return QUICK_ACTION.new(page, employee=employee, membership=g.membership)


def _form(action: Action, form: ActionForm | None = None) -> ActionForm:
    if form is None:
        form = ActionForm(obj=action)
        form.partner_id.data = str(action.partner_id or "")
        form.owner_id.data = str(action.owner_id or "")
        form.version_id.data = str(action.version_id)
    partners = partner_service.active_partners(db.session)
    if action.partner and action.partner not in partners:
        partners.append(action.partner)
    form.partner_id.choices = choices([("", "— Aucun —")] + [(p.id, p.name) for p in partners])
    form.owner_id.choices = choices(
        [("", "— Personne —")] + [(m.id, m.user.full_name) for m in _owners()]
    )
    return form


def _page(action: Action, form: ActionForm | None = None) -> str:
    return render(
        "actions/action.html",
        action=action,
        employee=action.employee,
        form=_form(action, form),
        history=history.of_row(db.session, "action", action.id),
        statuses=ACTION_STATUSES,
        natures=ACTION_NATURES,
    )


@bp.get("/<uuid:action_id>")
@require(Perm.ACTIONS_VIEW)
def action(action_id: uuid.UUID):
    return _page(loaders.action(action_id))


@bp.post("/<uuid:action_id>")
@require(Perm.ACTIONS_EDIT)
def edit_action(action_id: uuid.UUID):
    action = loaders.action(action_id)
    form = _form(action, ActionForm())
    partners = {str(p.id): p for p in partner_service.active_partners(db.session)}
    if action.partner:
        partners[str(action.partner.id)] = action.partner

    def partner() -> dict:
        return {"partner": partners.get(form.partner_id.data or "")}

    page = partial(_page, action)
    return ACTION.run(form, page, action, membership=g.membership, more=partner)
