"""The structure's list of eligibility criteria (seeded with the usual ones), for coordination."""

from __future__ import annotations

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import NewCriterionForm, ToggleCriterionForm
from siae_app.blueprints.forms_common import FormFlow, see_other, submit, uuid_or_none
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.employees import identity

CRITERION = FormFlow(
    NewCriterionForm,
    identity.add_criterion,
    fields=("label", "is_sensitive"),
    error_field="label",
    message="Critère « {0.label} » ajouté.",
    back=".criteria_list",
)


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
    return CRITERION.new(_page)


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
