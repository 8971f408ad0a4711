"""Renouvellement of a CDDI: the circuit's page and its three steps (the ETI's opinion, the
CIP's proposal, the direction's decision). The rules and the order are the service's
(services/renewals.py); each step has its own permission."""

from __future__ import annotations

import uuid
from datetime import date

from flask import g
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import (
    FrDateField,
    FrDecimalField,
    FrIntegerField,
    limit_sensitive_motifs,
    pairs,
)
from siae_app.blueprints.forms_common import (
    choices,
    required,
    see_other,
    strip,
    submit,
    text_checks,
)
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.models import RenewalStatus, Structure
from siae_app.models.employees import DEROGATION_MOTIFS
from siae_app.models.observations import TONES
from siae_app.models.renewals import OPINION_VERDICTS, RENEWAL_CHOICES
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render
from siae_app.services import renewals
from siae_app.services.employees import contracts

LONG_TEXT = text_checks(renewals.TEXT_LIMIT)


class OpinionForm(FlaskForm):
    work = TextAreaField(
        "Le travail",
        filters=[strip],
        validators=[required(), *LONG_TEXT],
        description="Les tâches tenues, la qualité, l'autonomie au poste.",
    )
    attendance = TextAreaField("L'assiduité", filters=[strip], validators=[required(), *LONG_TEXT])
    progress = TextAreaField("Les progrès", filters=[strip], validators=[required(), *LONG_TEXT])
    verdict = RadioField(
        "Votre avis", choices=choices(OPINION_VERDICTS.items()), validators=[required()]
    )


class _Terms(FlaskForm):
    choice = RadioField(choices=choices(RENEWAL_CHOICES.items()), validators=[required()])
    months = FrIntegerField(
        "Durée du renouvellement (mois)",
        validators=[Optional()],
        description="L'avenant commence le lendemain de la fin du contrat.",
    )
    hours = FrDecimalField("Heures par semaine", validators=[Optional()])
    comment = TextAreaField(
        "Commentaire (facultatif)", filters=[strip], validators=[Optional(), *LONG_TEXT]
    )


class ProposalForm(_Terms):
    derogation_motif = SelectField(
        "Motif de dérogation (au-delà de 24 mois cumulés)",
        choices=pairs(DEROGATION_MOTIFS, "— Aucun —"),
        validators=[Optional()],
    )
    pass_extension = BooleanField("Demander la prolongation du PASS IAE")


class DecisionForm(_Terms):
    exit_on = FrDateField(
        "Sortie prévue le",
        validators=[Optional()],
        description="Si le contrat n'est pas renouvelé ; par défaut, sa date de fin.",
    )


def _context(employee, circuit, today: date) -> dict:
    structure = db.session.get(Structure, employee.structure_id)
    contract = circuit.contract if circuit else contracts.current_contract(employee, today)
    row = circuit.row if circuit else None
    months = row.proposed_months if row and row.proposed_months else 6
    last_day = renewals.avenant_dates(contract, months)[1] if contract else None
    return {
        "employee": employee,
        "circuit": circuit,
        "contract": contract,
        "today": today,
        "notice": structure.renewal_notice_months,
        "opens_on": renewals.opens_on(contract, structure.renewal_notice_months)
        if contract
        else None,
        "pass_note": renewals.pass_note(employee.passes, last_day) if last_day else None,
        "past": renewals.past_of(db.session, employee, circuit),
        "sees_sensitive": allowed(g.membership, Perm.EMPLOYEES_SENSITIVE_VIEW),
        "is_sensitive_motif": contracts.is_sensitive_motif,
        "derogation_motifs": DEROGATION_MOTIFS,
        "tone_labels": TONES,
        "as_date": date.fromisoformat,  # the compiled assessments keep ISO dates
    }


def _back(employee, message: str):
    return see_other(".renewal", message, employee_id=employee.id)


@bp.get("/<uuid:employee_id>/renouvellement")
@require(Perm.RENEWAL_VIEW)
def renewal(employee_id: uuid.UUID):
    employee = load_employee(employee_id, full=True)
    today = date.today()
    circuit = renewals.of_employee(db.session, employee, today)
    return render("employees/renewal.html", **_context(employee, circuit, today))


def _step(
    employee_id: uuid.UUID,
    form,
    save,
    message: str,
    focus: str,
    step: str,
    prefill=None,
    shape=None,
):
    """One step's form: ``save(circuit, today)`` calls the service; ``prefill(circuit)``
    fills the form shown by a GET; ``shape(circuit)`` adapts it to the circuit, GET or POST."""
    employee = load_employee(employee_id, full=True)
    today = date.today()
    circuit = renewals.of_employee(db.session, employee, today)
    if shape is not None:
        shape(circuit)
    if prefill is not None and not form.is_submitted() and circuit is not None:
        prefill(circuit)
    evidence = None
    if step == "opinion" and circuit is not None and circuit.stage == RenewalStatus.OPINION:
        evidence = renewals.evidence(db.session, scopes.observations(g.membership), circuit, today)

    def page():
        return render(
            "employees/renewal_step.html",
            form=form,
            step=step,
            evidence=evidence,
            **_context(employee, circuit, today),
        )

    return submit(
        form, lambda: save(circuit, today), lambda _row: _back(employee, message), page, focus
    )


@bp.route("/<uuid:employee_id>/renouvellement/avis", methods=GET_POST)
@require(Perm.RENEWAL_OPINION)
def renewal_opinion(employee_id: uuid.UUID):
    form = OpinionForm()

    def save(circuit, today):
        typed = {name: getattr(form, name).data for name in ("work", "attendance", "progress")}
        typed["verdict"] = form.verdict.data
        return renewals.give_opinion(db.session, g.membership, circuit, typed, today)

    message = "Avis enregistré : la CIP peut faire sa proposition."
    return _step(employee_id, form, save, message, "work", "opinion")


def _terms(form) -> dict:
    return {
        "choice": form.choice.data,
        "months": form.months.data,
        "hours": form.hours.data,
        "comment": form.comment.data,
    }


@bp.route("/<uuid:employee_id>/renouvellement/proposition", methods=GET_POST)
@require(Perm.RENEWAL_PROPOSE)
def renewal_proposal(employee_id: uuid.UUID):
    form = ProposalForm()
    form.choice.label.text = "Votre proposition"

    def save(circuit, today):
        typed = {
            **_terms(form),
            "derogation_motif": form.derogation_motif.data,
            "pass_extension": form.pass_extension.data,
        }
        return renewals.propose(db.session, g.membership, circuit, typed, today)

    def prefill(circuit):
        form.hours.data = circuit.contract.weekly_hours

    def shape(circuit):
        """The avenant may carry the renewed contract's motif; another one revealing a
        handicap is the CIP's to propose (the service refuses it from anyone else)."""
        if not allowed(g.membership, Perm.EMPLOYEES_SENSITIVE_WRITE):
            kept = circuit.contract.derogation_motif if circuit else None
            limit_sensitive_motifs(form.derogation_motif, kept)

    message = "Proposition enregistrée : la direction peut décider."
    return _step(employee_id, form, save, message, "choice", "proposal", prefill, shape)


@bp.route("/<uuid:employee_id>/renouvellement/decision", methods=GET_POST)
@require(Perm.RENEWAL_DECIDE)
def renewal_decision(employee_id: uuid.UUID):
    form = DecisionForm()
    form.choice.label.text = "Votre décision"

    def save(circuit, today):
        typed = {**_terms(form), "exit_on": form.exit_on.data}  # the motif: the CIP's
        return renewals.decide(db.session, g.membership, circuit, typed, today)

    def prefill(circuit):
        """The decision starts from the CIP's proposal."""
        form.exit_on.data = circuit.contract.effective_end
        row = circuit.row
        if row is not None and row.proposal:
            form.choice.data = row.proposal
            form.months.data = row.proposed_months
            form.hours.data = row.proposed_hours or circuit.contract.weekly_hours

    return _step(employee_id, form, save, "Décision enregistrée.", "choice", "decision", prefill)
