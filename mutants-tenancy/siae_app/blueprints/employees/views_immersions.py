"""Immersions (PMSMP) of a salarié: the list, a new convention (or the renewal of one,
``?renouvelle=``), its outcome (``?convention=``). Read by all who see the file, written by
the CIP and coordination (services/immersions.py holds the rules of D5135-3)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, g, request
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import NumberRange, Optional

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import FrDateField
from siae_app.blueprints.forms_common import (
    act,
    choices,
    required,
    see_other,
    strip,
    submit,
    text_checks,
    uuid_or_none,
)
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.models import Immersion, Partner
from siae_app.models.immersions import IMMERSION_OBJECTS, OBJECTIVES_REACHED
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError, immersions
from siae_app.services import partners as partner_service
from siae_app.services.employees.dates import parse_date


def _end_date() -> FrDateField:
    return FrDateField(
        "Fin", validators=[required()], description="Un mois au plus, de date à date."
    )


def _days(description: str | None = None) -> IntegerField:
    return IntegerField(
        "Nombre de jours d'immersion",
        validators=[required(), NumberRange(min=1, max=31, message="Entre 1 et 31 jours.")],
        description=description,
    )


class ImmersionForm(FlaskForm):
    partner_id = SelectField(
        "Structure d'accueil",
        validators=[required()],
        description="Un partenaire de l'annuaire de la structure.",
    )
    object_kind = SelectField(
        "Objet de l'immersion",
        choices=choices([("", "— Choisir —"), *IMMERSION_OBJECTS.items()]),
        validators=[required()],
    )
    objectives = TextAreaField(
        "Objectifs", filters=[strip], validators=[required(), *text_checks(2000)]
    )
    start_date = FrDateField("Début", validators=[required()])
    end_date = _end_date()
    days = _days("Présence continue ou non : les jours passés chez l'hôte.")


class RenewalForm(FlaskForm):
    start_date = FrDateField("Début du renouvellement", validators=[required()])
    end_date = _end_date()
    days = _days()


class EditForm(FlaskForm):
    objectives = TextAreaField(
        "Objectifs", filters=[strip], validators=[Optional(), *text_checks(2000)]
    )
    start_date = FrDateField("Début", validators=[required()])
    end_date = _end_date()
    days = _days()


class OutcomeForm(FlaskForm):
    objectives_reached = RadioField(
        "Objectifs atteints", choices=choices(OBJECTIVES_REACHED.items()), validators=[required()]
    )
    host_observations = TextAreaField(
        "Ce que la structure d'accueil a observé",
        filters=[strip],
        validators=[Optional(), *text_checks(4000)],
    )
    job_offer = RadioField(
        "Offre d'emploi de l'hôte",
        choices=choices([("oui", "Oui"), ("non", "Non")]),
        validators=[required()],
    )
    job_offer_details = TextAreaField(
        "Précisions sur l'offre (poste, contrat)",
        filters=[strip],
        validators=[Optional(), *text_checks(2000)],
    )


def _list_url(employee) -> dict:
    return {"employee_id": employee.id}


def _immersion(employee, text: str | None) -> Immersion:
    """The convention ``text`` names, of this salarié only (else 404)."""
    immersion_id = uuid_or_none(text)
    row = db.session.get(Immersion, immersion_id) if immersion_id else None
    if row is None or row.employee_id != employee.id:
        abort(404)
    return row


@bp.route("/<uuid:employee_id>/immersions")
@require(Perm.EMPLOYEES_VIEW)
def immersions_list(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    rows = immersions.of_employee(db.session, employee)
    renewed = {r.renewal_of_id for r in rows if r.renewal_of_id}
    return render(
        "employees/immersions.html",
        employee=employee,
        rows=rows,
        renewed=renewed,
        remaining=immersions.remaining_by_host(db.session, employee, date.today()),
        today=date.today(),
        edit=can(Perm.EMPLOYEES_EDIT),
        not_reached=immersions.NOT_REACHED,
    )


@bp.route("/<uuid:employee_id>/immersions/nouvelle", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def new_immersion(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    original = None
    if request.values.get("renouvelle"):
        original = _immersion(employee, request.values.get("renouvelle"))
    form = RenewalForm() if original else ImmersionForm()
    partners: dict[str, Partner] = {}
    if original is None:
        partners = {str(p.id): p for p in partner_service.active_partners(db.session)}
        form.partner_id.choices = choices(
            [("", "— Choisir —")] + [(key, p.name) for key, p in partners.items()]
        )
    typed_start = form.start_date.data if form.is_submitted() else None
    on = typed_start or parse_date(request.args.get("debut") or "") or date.today()

    def save():
        typed = {
            "start_date": form.start_date.data,
            "end_date": form.end_date.data,
            "days": form.days.data,
        }
        if original is None:
            typed.update(
                partner=partners.get(form.partner_id.data),
                object_kind=form.object_kind.data,
                objectives=form.objectives.data,
            )
        return immersions.create(db.session, g.membership, employee, typed, renewal_of=original)

    def done(row):
        message = (
            "Renouvellement enregistré." if original else "Convention d'immersion enregistrée."
        )
        return see_other(".immersions_list", message, **_list_url(employee))

    def page():
        return render(
            "employees/immersion_form.html",
            form=form,
            employee=employee,
            original=original,
            remaining=immersions.remaining_by_host(db.session, employee, on),
            on=on,
        )

    return submit(form, save, done, page, "start_date")


@bp.route("/<uuid:employee_id>/immersions/modifier", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_immersion(employee_id: uuid.UUID):
    """Correct a convention (``?convention=``): objectives, dates, days; or delete it."""
    employee = load_employee(employee_id)
    if request.values.get("convention"):
        row = _immersion(employee, request.values.get("convention"))
    else:  # none named: the latest (the list names each)
        rows = immersions.of_employee(db.session, employee)
        row = rows[0] if rows else None
        if row is None:
            page = render("employees/immersion_edit.html", employee=employee, row=None)
            return page, 422 if request.method == "POST" else 200
    form = EditForm() if request.method == "POST" else EditForm(formdata=None, obj=row)
    renewed = any(r.renewal_of_id == row.id for r in immersions.of_employee(db.session, employee))

    def save():
        typed = {name: getattr(form, name).data for name in immersions.EDITABLE}
        return immersions.update(db.session, g.membership, row, typed)

    def done(_changes):
        return see_other(".immersions_list", "Convention corrigée.", **_list_url(employee))

    def page():
        return render(
            "employees/immersion_edit.html",
            form=form,
            employee=employee,
            row=row,
            objectives_fixed=row.is_renewal or renewed,
            renewed=renewed,
        )

    return submit(form, save, done, page, "start_date")


@bp.post("/<uuid:employee_id>/immersions/supprimer")
@require(Perm.EMPLOYEES_EDIT)
def delete_immersion(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    named = request.form.get("convention")

    def remove():
        if not named:
            raise ServiceError("Choisissez la convention à supprimer dans la liste.")
        immersions.delete(db.session, g.membership, _immersion(employee, named))

    return act(
        remove,
        "Convention supprimée.",
        ".immersions_list",
        **_list_url(employee),
    )


@bp.route("/<uuid:employee_id>/immersions/bilan", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def immersion_outcome(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    if request.values.get("convention"):
        row = _immersion(employee, request.values.get("convention"))
    else:  # none named: the latest that has ended (the list names each)
        ended = [
            r for r in immersions.of_employee(db.session, employee) if r.end_date < date.today()
        ]
        row = ended[0] if ended else None
        if row is None:
            page = render("employees/immersion_outcome.html", employee=employee, row=None)
            return page, 422 if request.method == "POST" else 200
    if request.method == "POST":
        form = OutcomeForm()
    else:
        form = OutcomeForm(
            formdata=None,
            objectives_reached=row.objectives_reached,
            host_observations=row.host_observations,
            job_offer=None if row.job_offer is None else ("oui" if row.job_offer else "non"),
            job_offer_details=row.job_offer_details,
        )

    def save():
        typed = {
            "objectives_reached": form.objectives_reached.data,
            "host_observations": form.host_observations.data,
            "job_offer": {"oui": True, "non": False}.get(form.job_offer.data),
            "job_offer_details": form.job_offer_details.data,
        }
        return immersions.record_outcome(db.session, g.membership, row, typed)

    def done(_row):
        return see_other(
            ".immersions_list", "Bilan de l'immersion enregistré.", **_list_url(employee)
        )

    def page():
        return render("employees/immersion_outcome.html", form=form, employee=employee, row=row)

    return submit(form, save, done, page, "objectives_reached")
