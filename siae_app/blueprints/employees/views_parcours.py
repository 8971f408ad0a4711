"""Contrats (et avenants), PASS IAE (suspensions, prolongations), sortie."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import g

from siae_app.blueprints.employees import bp, loaders
from siae_app.blueprints.employees.common import Versioned, version_of
from siae_app.blueprints.employees.forms import (
    CancelExitForm,
    ContractForm,
    ExitForm,
    ExtensionForm,
    PassForm,
    SuspensionForm,
)
from siae_app.blueprints.forms_common import edit_form, see_other, submit
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.employees import contracts, exits, pass_iae
from siae_app.services.employees.dates import add_months


def _values(form, names) -> dict:
    return {name: getattr(form, name).data for name in names}


def _back(employee, message: str, anchor: str):
    return lambda _: see_other(".show", message, anchor=anchor, employee_id=employee.id)


def _contract_page(form, employee, contract=None, parent=None):
    return lambda: render(
        "employees/contract_form.html",
        form=form,
        employee=employee,
        contract=contract,
        parent=parent,
        cumul=contracts.cumul(employee.contracts),
    )


@bp.route("/<uuid:employee_id>/contrats/nouveau", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def new_contract(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = ContractForm()
    return submit(
        form,
        lambda: contracts.create_contract(
            db.session, g.membership, employee, _values(form, contracts.CONTRACT_FIELDS)
        ),
        done=_back(employee, "Contrat enregistré.", "contrats"),
        page=_contract_page(form, employee),
        error_field="start_date",
    )


@bp.route("/<uuid:employee_id>/contrats/<uuid:contract_id>/modifier", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def edit_contract(employee_id: uuid.UUID, contract_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    contract = loaders.contract(employee, contract_id)
    form = edit_form(ContractForm, contract)
    return submit(
        form,
        lambda: contracts.update_contract(
            db.session, g.membership, contract, _values(form, contracts.CONTRACT_FIELDS)
        ),
        done=_back(employee, "Contrat modifié.", "contrats"),
        page=_contract_page(form, employee, contract=contract),
        error_field="start_date",
    )


@bp.route("/<uuid:employee_id>/contrats/<uuid:contract_id>/avenant", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def renew_contract(employee_id: uuid.UUID, contract_id: uuid.UUID):
    """Renouvellement / avenant: a new period that follows the contract it extends."""
    employee = loaders.employee(employee_id)
    parent = loaders.contract(employee, contract_id)
    form = ContractForm()
    if not form.is_submitted():
        start = parent.effective_end + timedelta(days=1)
        form.start_date.data = start
        form.end_date.data = add_months(start, 6) - timedelta(days=1)
        form.weekly_hours.data = parent.weekly_hours
        form.derogation_motif.data = parent.derogation_motif or ""
    return submit(
        form,
        lambda: contracts.create_contract(
            db.session,
            g.membership,
            employee,
            _values(form, contracts.CONTRACT_FIELDS),
            parent=parent,
        ),
        done=_back(employee, "Renouvellement enregistré.", "contrats"),
        page=_contract_page(form, employee, parent=parent),
        error_field="start_date",
    )


def _pass_page(form, employee, pass_obj=None):
    return lambda: render(
        "employees/pass_form.html", form=form, employee=employee, pass_obj=pass_obj
    )


@bp.route("/<uuid:employee_id>/pass/nouveau", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def new_pass(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = PassForm()
    return submit(
        form,
        lambda: pass_iae.create_pass(
            db.session, g.membership, employee, _values(form, ("number", "start_date", "end_date"))
        ),
        done=_back(employee, "PASS IAE enregistré.", "pass"),
        page=_pass_page(form, employee),
        error_field="number",
    )


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/modifier", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def edit_pass(employee_id: uuid.UUID, pass_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    pass_obj = loaders.pass_iae(employee, pass_id)
    form = edit_form(PassForm, pass_obj)
    return submit(
        form,
        lambda: pass_iae.update_pass(
            db.session, g.membership, pass_obj, _values(form, ("number", "start_date", "end_date"))
        ),
        done=_back(employee, "PASS IAE modifié.", "pass"),
        page=_pass_page(form, employee, pass_obj),
        error_field="number",
    )


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/suspensions/nouvelle", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def new_suspension(employee_id: uuid.UUID, pass_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    pass_obj = loaders.pass_iae(employee, pass_id)
    form = SuspensionForm()
    return submit(
        form,
        lambda: pass_iae.add_suspension(
            db.session, g.membership, pass_obj, _values(form, ("motif", "start_date", "end_date"))
        ),
        done=_back(employee, "Suspension du PASS IAE enregistrée.", "pass"),
        page=lambda: render(
            "employees/suspension_form.html", form=form, employee=employee, pass_obj=pass_obj
        ),
        error_field="start_date",
    )


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/prolongations/nouvelle", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def new_extension(employee_id: uuid.UUID, pass_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    pass_obj = loaders.pass_iae(employee, pass_id)
    form = ExtensionForm()
    return submit(
        form,
        lambda: pass_iae.add_extension(
            db.session, g.membership, pass_obj, _values(form, ("motif", "months", "decided_on"))
        ),
        done=_back(employee, "Prolongation du PASS IAE enregistrée.", "pass"),
        page=lambda: render(
            "employees/extension_form.html", form=form, employee=employee, pass_obj=pass_obj
        ),
        error_field="motif",
    )


@bp.route("/<uuid:employee_id>/sortie", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def record_exit(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = edit_form(ExitForm, employee)
    if not form.is_submitted():
        form.version_id.data = str(employee.version_id)
    save = Versioned(
        form,
        lambda: exits.record_exit(
            db.session, g.membership, employee, _values(form, exits.EXIT_FIELDS), version_of(form)
        ),
    )
    return submit(
        form,
        save,
        done=_back(employee, "Sortie enregistrée.", "sortie"),
        page=lambda: render(
            "employees/exit_form.html", form=form, employee=employee, conflicts=save.conflicts
        ),
        error_field="exit_date",
    )


@bp.post("/<uuid:employee_id>/sortie/annuler")
@require(Perm.EMPLOYEES_EDIT)
def cancel_exit(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = CancelExitForm()
    save = Versioned(
        form, lambda: exits.cancel_exit(db.session, g.membership, employee, version_of(form))
    )
    return submit(
        form,
        save,
        done=_back(employee, "Sortie annulée : le salarié est de nouveau en parcours.", "sortie"),
        page=lambda: render(
            "employees/exit_form.html",
            form=ExitForm(obj=employee, formdata=None),
            employee=employee,
            conflicts=save.conflicts,
            cancel_form=form,
        ),
        error_field="version_id",
    )
