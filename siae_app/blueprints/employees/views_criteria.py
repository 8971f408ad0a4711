"""The structure's list of eligibility criteria (seeded with the usual ones), for coordination."""

from __future__ import annotations

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import NewCriterionForm, ToggleCriterionForm
from siae_app.blueprints.forms_common import see_other, submit, uuid_or_none
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.employees import identity


def _page(form):
    return render(
        "employees/criteria_list.html",
        form=form,
        criteria=identity.ensure_default_criteria(db.session),
        toggle=ToggleCriterionForm(),
    )


@bp.route("/criteres", methods=["GET", "POST"])
@require(Perm.ELIGIBILITY_MANAGE)
def criteria_list():
    form = NewCriterionForm()
    return submit(
        form,
        lambda: identity.add_criterion(db.session, form.label.data, form.is_sensitive.data),
        done=lambda c: see_other(".criteria_list", f"Critère « {c.label} » ajouté."),
        page=lambda: _page(form),
        error_field="label",
    )


@bp.post("/criteres/archiver")
@require(Perm.ELIGIBILITY_MANAGE)
def toggle_criterion():
    form = ToggleCriterionForm()
    return submit(
        form,
        lambda: identity.toggle_criterion(db.session, uuid_or_none(form.criterion_id.data)),
        done=lambda c: see_other(
            ".criteria_list",
            f"Critère « {c.label} » {'archivé' if c.is_archived else 'réactivé'}.",
        ),
        page=lambda: _page(NewCriterionForm(formdata=None)),
        error_field="criterion_id",
    )
