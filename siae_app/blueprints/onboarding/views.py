"""Accueil of a salarié (tick items, progress « 4/9 ») and the structure's checklist."""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import g

from siae_app.blueprints.forms_common import FormFlow, form_page, put_error, see_other
from siae_app.blueprints.onboarding import bp, loaders
from siae_app.blueprints.onboarding.forms import TemplateItemForm, TickForm
from siae_app.blueprints.routes_common import ObjectRoutes, list_editor
from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render, wants_fragment
from siae_app.services import ServiceError
from siae_app.services import onboarding as service


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


FILE = ObjectRoutes(bp, "employee_id", loaders.employee, ".page", _page)
FILE.show(Perm.ONBOARDING_VIEW, "page")


@FILE.view("/resume", Perm.ONBOARDING_VIEW, ("GET",))
def summary(employee: Employee):
    """One line for the salarié's file (loaded by htmx): progress and overdue items."""
    return _page(employee, block="accueil_resume")


@bp.post("/elements/<uuid:item_id>")
@require(Perm.ONBOARDING_EDIT)
def tick(item_id: uuid.UUID):
    """Tick (or untick) one item; htmx gets the checklist block back."""
    item = loaders.item(item_id)
    employee = loaders.employee(item.employee_id)
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


TEMPLATE = ObjectRoutes(
    bp, "template_item_id", loaders.template_item, ".template", prefix="/modele"
)
TEMPLATE.editor("", "", Perm.ONBOARDING_TEMPLATE_MANAGE, ("template", "edit_template_item"))(
    list_editor(NEW_TEMPLATE_ITEM, TEMPLATE_ITEM, _template_page, _item_page)
)
