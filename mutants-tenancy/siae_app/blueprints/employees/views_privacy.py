"""« Demandes sur les données » of a salarié: the requests the person made about their data
(accès, rectification, limitation, opposition, effacement), written down by whoever received
them, answered by the direction — an erasure done there erases what may go now and says
what is kept, why and until when (services/privacy/requests.py)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, g, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import FrDateField
from siae_app.blueprints.forms_common import (
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
from siae_app.models import PrivacyRequest
from siae_app.models.privacy import REQUEST_KINDS
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services.privacy import requests as privacy_requests


class RequestForm(FlaskForm):
    kind = SelectField(
        "Nature de la demande",
        choices=choices([("", "— Choisir —"), *REQUEST_KINDS.items()]),
        validators=[required()],
    )
    received_on = FrDateField("Reçue le", validators=[required()])
    details = TextAreaField(
        "Ce que la personne demande",
        filters=[strip],
        validators=[required(), *text_checks(privacy_requests.MAX_TEXT)],
        description="Ses mots, et pour une limitation ou une opposition : sur quoi elle porte.",
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        "Réponse faite à la personne",
        filters=[strip],
        validators=[required(), *text_checks(privacy_requests.MAX_TEXT)],
    )
    erase = BooleanField("Effacer maintenant ce qui peut l'être")


def _request_of(employee, text: str | None) -> PrivacyRequest:
    """The request ``text`` names, of this salarié only (else 404)."""
    request_id = uuid_or_none(text)
    row = db.session.get(PrivacyRequest, request_id) if request_id else None
    if row is None or row.employee_id != employee.id:
        abort(404)
    return row


def _page(employee, form, *, answering=None, answer_form=None):
    today = date.today()
    return render(
        "employees/privacy_requests.html",
        employee=employee,
        rows=privacy_requests.of_employee(db.session, employee),
        form=form,
        answering=answering,
        answer_form=answer_form or AnswerForm(formdata=None),
        kept=privacy_requests.kept(db.session, employee, today),
        may_answer=can(Perm.PRIVACY_ANSWER),
        today=today,
    )


@bp.route("/<uuid:employee_id>/donnees/demandes", methods=GET_POST)
@require(Perm.PRIVACY_REQUESTS)
def privacy_requests_page(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    form = RequestForm()

    def save():
        return privacy_requests.record(
            db.session,
            g.membership,
            employee,
            form.kind.data,
            form.received_on.data,
            form.details.data,
            date.today(),
        )

    def done(row):
        return see_other(".privacy_requests_page", "Demande enregistrée.", employee_id=employee.id)

    return submit(form, save, done, lambda: _page(employee, form), "details")


@bp.route("/<uuid:employee_id>/donnees/repondre", methods=GET_POST)
@require(Perm.PRIVACY_ANSWER)
def privacy_request_answer(employee_id: uuid.UUID):
    """Answer the request ``?demande=`` (the latest unanswered one when none is named)."""
    employee = load_employee(employee_id)
    if request.values.get("demande"):
        row = _request_of(employee, request.values.get("demande"))
    else:
        waiting = [r for r in privacy_requests.of_employee(db.session, employee) if not r.answer]
        row = waiting[0] if waiting else None
    form = AnswerForm()
    if row is None:
        return _page(employee, RequestForm(formdata=None))

    def save():
        return privacy_requests.answer(
            db.session, g.membership, row, form.answer.data, bool(form.erase.data), date.today()
        )

    def done(saved):
        message = "Réponse enregistrée." + (
            " Les textes du dossier ont été effacés." if saved.erased_on else ""
        )
        return see_other(".privacy_requests_page", message, employee_id=employee.id)

    page = lambda: _page(  # noqa: E731 - the same page, the answer form open on this request
        employee, RequestForm(formdata=None), answering=row, answer_form=form
    )
    return submit(form, save, done, page, "answer")
