"""Contrats (et avenants), PASS IAE (suspensions, prolongations), sortie."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from functools import partial

from flask import g, request

from siae_app.blueprints.employees import bp, loaders
from siae_app.blueprints.employees.common import FilePart, versioned_form
from siae_app.blueprints.employees.forms import (
    CancelExitForm,
    ClosureForm,
    ContractForm,
    ExitFollowupForm,
    ExitForm,
    ExtensionForm,
    HandoverForm,
    NewPassForm,
    PassForm,
    ReturnForm,
    SuspensionForm,
    limit_sensitive_motifs,
)
from siae_app.blueprints.employees.views import _file_context
from siae_app.blueprints.forms_common import FormFlow, put_error, see_other, values
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render, wants_fragment
from siae_app.services import ServiceError
from siae_app.services.employees import contracts, exit_followups, exits, handover, pass_iae
from siae_app.services.employees.dates import add_months, fr_date, parse_date

PASS_FIELDS = ("number", "start_date", "end_date")


def _flow(form, save, fields, error_field: str, message: str, anchor: str) -> FormFlow:
    """A form of the salarié's file: the service takes the typed values as one dict, and a
    success goes back to the section of the file it changed."""
    return FormFlow(
        form, save, tuple(fields), (), error_field, message, ".show", anchor=anchor, bundle=True
    )


CONTRACT = _flow(
    ContractForm,
    contracts.update_contract,
    contracts.CONTRACT_FIELDS,
    "start_date",
    "Contrat modifié.",
    "contrats",
)
NEW_CONTRACT = replace(CONTRACT, save=contracts.create_contract, message="Contrat enregistré.")
RENEWAL = replace(NEW_CONTRACT, message="Renouvellement enregistré.")
PASS = _flow(PassForm, pass_iae.update_pass, PASS_FIELDS, "number", "PASS IAE modifié.", "pass")
NEW_PASS = replace(
    PASS,
    form=NewPassForm,
    save=pass_iae.create_pass,
    flags=("waiting_period_waived",),
    message="PASS IAE enregistré.",
)
CLOSURE = _flow(
    ClosureForm,
    pass_iae.close_pass,
    ("closed_on", "closure_reason"),
    "closed_on",
    "PASS IAE clôturé.",
    "pass",
)
SUSPENSION = _flow(
    SuspensionForm,
    pass_iae.add_suspension,
    ("motif", "start_date", "end_date"),
    "start_date",
    "Suspension du PASS IAE enregistrée.",
    "pass",
)
EXTENSION = _flow(
    ExtensionForm,
    pass_iae.add_extension,
    ("motif", "months", "decided_on", "training_end"),
    "motif",
    "Prolongation du PASS IAE enregistrée.",
    "pass",
)


def _file(employee) -> dict:
    return {"employee_id": employee.id}


def _motifs(form, name: str, kept: str | None = None):
    """``form`` whose motif select ``name`` offers a motif revealing a handicap only to whom
    may write one (the CIP); ``kept``: the motif already there, kept as it is otherwise."""
    if not allowed(g.membership, Perm.EMPLOYEES_SENSITIVE_WRITE):
        limit_sensitive_motifs(getattr(form, name), kept)
    return form


def _contract_page(employee, contract, parent, form):
    return render(
        "employees/contract_form.html",
        form=form,
        employee=employee,
        contract=contract,
        parent=parent,
        cumul=contracts.cumul(employee.contracts),
    )


@bp.route("/<uuid:employee_id>/contrats/nouveau", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def new_contract(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = partial(_contract_page, employee, None, None)
    form = _motifs(NEW_CONTRACT.blank(), "derogation_motif")
    return NEW_CONTRACT.run(form, page, g.membership, employee, back_ids=_file(employee))


@bp.route("/<uuid:employee_id>/contrats/<uuid:contract_id>/modifier", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_contract(employee_id: uuid.UUID, contract_id: uuid.UUID):
    employee = load_employee(employee_id)
    contract = loaders.contract(employee, contract_id)
    page = partial(_contract_page, employee, contract, None)
    form = _motifs(CONTRACT.form_of(contract), "derogation_motif", contract.derogation_motif)
    return CONTRACT.run(form, page, g.membership, contract, back_ids=_file(employee))


@bp.route("/<uuid:employee_id>/contrats/<uuid:contract_id>/avenant", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def renew_contract(employee_id: uuid.UUID, contract_id: uuid.UUID):
    """Renouvellement / avenant: a new period that follows the contract it extends."""
    employee = load_employee(employee_id)
    parent = loaders.contract(employee, contract_id)
    form = ContractForm()
    if not form.is_submitted():
        start = parent.effective_end + timedelta(days=1)
        form.start_date.data = start
        form.end_date.data = add_months(start, 6) - timedelta(days=1)
        form.weekly_hours.data = parent.weekly_hours
        form.derogation_motif.data = parent.derogation_motif or ""
        form.annex_kind.data = parent.annex_kind or ""
    _motifs(form, "derogation_motif", parent.derogation_motif)
    page = partial(_contract_page, employee, None, parent)
    return RENEWAL.run(form, page, g.membership, employee, parent=parent, back_ids=_file(employee))


def _pass_page(template: str, employee, pass_obj, form):
    window = pass_iae.extension_window(pass_iae.effective_end(pass_obj)) if pass_obj else None
    return render(template, form=form, employee=employee, pass_obj=pass_obj, window=window)


@bp.route("/<uuid:employee_id>/pass/nouveau", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def new_pass(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    page = partial(_pass_page, "employees/pass_form.html", employee, None)
    return NEW_PASS.new(page, g.membership, employee, back_ids=_file(employee))


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/modifier", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_pass(employee_id: uuid.UUID, pass_id: uuid.UUID):
    return _pass_form(PASS, "employees/pass_form.html", employee_id, pass_id, prefill=True)


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/suspensions/nouvelle", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def new_suspension(employee_id: uuid.UUID, pass_id: uuid.UUID):
    return _pass_form(SUSPENSION, "employees/suspension_form.html", employee_id, pass_id)


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/prolongations/nouvelle", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def new_extension(employee_id: uuid.UUID, pass_id: uuid.UUID):
    return _pass_form(
        EXTENSION, "employees/extension_form.html", employee_id, pass_id, motif_field="motif"
    )


@bp.route("/<uuid:employee_id>/pass/<uuid:pass_id>/cloturer", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def close_pass(employee_id: uuid.UUID, pass_id: uuid.UUID):
    return _pass_form(CLOSURE, "employees/closure_form.html", employee_id, pass_id)


def _pass_form(
    flow: FormFlow,
    template: str,
    employee_id,
    pass_id,
    prefill: bool = False,
    motif_field: str | None = None,
):
    """A form about one PASS IAE: its edition (``prefill``) or a suspension / prolongation
    (``motif_field``: its select of motifs, some of them sensitive)."""
    employee = load_employee(employee_id)
    pass_obj = loaders.pass_iae(employee, pass_id)
    form = flow.form_of(pass_obj) if prefill else flow.blank()
    if motif_field:
        _motifs(form, motif_field)
    page = partial(_pass_page, template, employee, pass_obj)
    return flow.run(form, page, g.membership, pass_obj, back_ids=_file(employee))


EXIT = FilePart(
    exits.record_exit,
    partial(values, names=exits.EXIT_FIELDS),
    "employees/exit_form.html",
    "exit_date",
    "Sortie enregistrée.",
    "sortie",
)
CANCELLED_EXIT = replace(
    EXIT,
    save=exits.cancel_exit,
    read=None,
    error_field="version_id",
    message="Sortie annulée : le salarié est de nouveau en parcours.",
)


RETURN = replace(
    EXIT,
    save=exits.record_return,
    read=partial(values, names=("return_date",)),
    error_field="return_date",
    message="Retour en parcours enregistré : la sortie précédente reste comptée dans son année.",
    anchor="sortie",
)
CANCELLED_RETURN = replace(
    EXIT,
    save=exits.cancel_return,
    read=None,
    error_field="version_id",
    message="Retour annulé : la sortie précédente est de nouveau la sortie du salarié.",
)


@bp.route("/<uuid:employee_id>/sortie", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def record_exit(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    form = versioned_form(ExitForm, employee)
    return EXIT.run(employee, form, return_form=_blank_return(employee))


def _blank_return(employee):
    """The return form shown under a recorded sortie (none while the salarié is in parcours)."""
    if employee.exit_date is None:
        return None
    form = ReturnForm(formdata=None)
    form.version_id.data = str(employee.version_id)
    return form


@bp.post("/<uuid:employee_id>/sortie/retour")
@require(Perm.EMPLOYEES_EDIT)
def record_return(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return_form = ReturnForm()
    shown = ExitForm(obj=employee, formdata=None)
    return RETURN.run(employee, return_form, form=shown, return_form=return_form)


@bp.post("/<uuid:employee_id>/sortie/retour/annuler")
@require(Perm.EMPLOYEES_EDIT)
def cancel_return(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    cancel_form = CancelExitForm()
    return CANCELLED_RETURN.run(
        employee, cancel_form, form=ExitForm(obj=employee, formdata=None), cancel_form=cancel_form
    )


@bp.post("/<uuid:employee_id>/sortie/annuler")
@require(Perm.EMPLOYEES_EDIT)
def cancel_exit(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    cancel_form = CancelExitForm()
    shown = ExitForm(obj=employee, formdata=None)
    return CANCELLED_EXIT.run(employee, cancel_form, form=shown, cancel_form=cancel_form)


@bp.post("/<uuid:employee_id>/sortie/remise")
@require(Perm.EMPLOYEES_EDIT)
def record_handover(employee_id: uuid.UUID):
    """Tick (or untick) one document handed at the sortie; htmx gets the checklist back, a
    refusal shows it again with what was typed (422)."""
    employee = load_employee(employee_id, full=True)
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            if form.undo.data:
                handover.untick(db.session, g.membership, employee, form.item.data)
            else:
                handover.tick(
                    db.session,
                    g.membership,
                    employee,
                    form.item.data,
                    form.done_on.data,
                    form.note.data,
                )
        except ServiceError as exc:
            put_error(form, exc, "done_on")
    if form.errors:
        page = render(
            "employees/show.html", block="handover", **_file_context(employee, handover_form=form)
        )
        return page, 422
    if wants_fragment():
        return render("employees/show.html", block="handover", **_file_context(employee))
    return see_other(
        ".show", "Remise des documents mise à jour.", anchor="remise", employee_id=employee.id
    )


SIX_MONTHS = _flow(
    ExitFollowupForm,
    exit_followups.record,
    ("checked_on", "kind", "reason", "comment"),
    "kind",
    "Situation à 6 mois enregistrée.",
    "sortie",
)


@bp.route("/<uuid:employee_id>/sortie/situation-6-mois", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def exit_followup(employee_id: uuid.UUID):
    """« Situation six mois après la sortie » of one of the salarié's sorties (``?sortie=``
    names it, else the latest); saving again corrects it."""
    employee = load_employee(employee_id)
    days = exit_followups.exit_dates(employee)
    chosen = parse_date(request.values.get("sortie") or request.values.get("exit_date") or "")
    latest = days[0] if days else None
    # A sortie sent that is not the salarié's is refused by the service.
    day = chosen if request.method == "POST" or chosen in days else latest
    row = exit_followups.of_exit(employee, day)
    form = SIX_MONTHS.form_of(row) if row else SIX_MONTHS.blank()
    form.exit_date.choices = [(d.isoformat(), f"Sortie du {fr_date(d)}") for d in days]
    if not form.is_submitted():
        form.exit_date.data = day.isoformat() if day else ""

    def page(form):
        return render(
            "employees/exit_followup_form.html",
            form=form,
            employee=employee,
            row=row,
            due=exit_followups.due_on(day) if day else None,
        )

    return SIX_MONTHS.run(
        form,
        page,
        g.membership,
        employee,
        more=lambda: {"exit_date": day},
        back_ids=_file(employee),
    )
