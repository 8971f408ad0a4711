"""Accueil of a salarié (tick items, progress « 4/9 ») and the structure's checklist."""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import g

from siae_app.blueprints.forms_common import FormFlow, form_page, put_error, see_other
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.onboarding import bp, loaders
from siae_app.blueprints.onboarding.forms import TemplateItemForm, TickForm
from siae_app.blueprints.routes_common import GET_POST, download
from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render, wants_fragment
from siae_app.services import ServiceError
from siae_app.services import onboarding as service
from siae_app.services.privacy import notice_pdf as notice_document


def _page(
    employee: Employee,
    errors: dict | None = None,
    form: TickForm | None = None,
    block: str = "checklist",
) -> str:
    return render(
        "onboarding/page.html",
        block=block,
        employee=employee,
        checklist=service.checklist(db.session, employee),
        errors=errors or {},
        form=form,
    )


@bp.get("/<uuid:employee_id>")
@require(Perm.ONBOARDING_VIEW)
def page(employee_id: uuid.UUID):
    return _page(load_employee(employee_id))


@bp.get("/<uuid:employee_id>/resume")
@require(Perm.ONBOARDING_VIEW)
def summary(employee_id: uuid.UUID):
    """One line for the salarié's file (loaded by htmx): progress and overdue items."""
    return _page(load_employee(employee_id), block="accueil_resume")


@bp.post("/elements/<uuid:item_id>")
@require(Perm.ONBOARDING_EDIT)
def tick(item_id: uuid.UUID):
    """Tick (or untick) one item; htmx gets the checklist block back."""
    item = loaders.item(item_id)
    employee = load_employee(item.employee_id)
    form = TickForm()
    if form.validate_on_submit():
        try:
            if form.undo.data:
                service.untick(db.session, item)
            else:
                service.tick(db.session, item, membership=g.membership, done_on=form.done_on.data)
        except ServiceError as exc:
            put_error(form, exc, "done_on")
    if form.errors:
        return _page(employee, errors={item.id: form.errors}, form=form), 422
    if wants_fragment():
        return _page(employee)
    return see_other(".page", "Accueil mis à jour.", anchor="checklist", employee_id=employee.id)


TEMPLATE_ITEM = FormFlow(
    TemplateItemForm,
    service.save_template_item,
    fields=("label", "responsible", "due_days"),
    flags=("date_required", "is_archived"),
    error_field="label",
    message="Élément « {0.label} » enregistré.",
    back=".template",
)
NEW_TEMPLATE_ITEM = replace(TEMPLATE_ITEM, message="Élément « {0.label} » ajouté.")


def _template_page(form: TemplateItemForm) -> str:
    items = service.template_items(db.session, include_archived=True)
    return render("onboarding/template.html", items=items, form=form)


def _item_page(item):
    return form_page("onboarding/template_item.html", item=item)


@bp.route("/modele", methods=GET_POST)
@require(Perm.ONBOARDING_TEMPLATE_MANAGE)
def template():
    return NEW_TEMPLATE_ITEM.new(_template_page, None)


@bp.route("/modele/<uuid:template_item_id>", methods=GET_POST)
@require(Perm.ONBOARDING_TEMPLATE_MANAGE)
def edit_template_item(template_item_id: uuid.UUID):
    item = loaders.template_item(template_item_id)
    return TEMPLATE_ITEM.edit(item, _item_page(item))


@bp.get("/<uuid:employee_id>/notice.pdf")
@require(Perm.ONBOARDING_VIEW)
def notice_pdf(employee_id: uuid.UUID):
    """The information notice to hand to this salarié, dated the day the accueil item says it
    was handed (blank to fill in by hand while it is not ticked)."""
    employee = load_employee(employee_id)
    content = notice_document.render(db.session, g.structure, employee)
    name = notice_document.file_name(employee)
    return download(content, "application/pdf", name, "pdf")
