"""« Espace personnel » of a salarié, on the team's side: open a personal link (shown once,
with its QR code and a handout to print, sent by e-mail when the salarié has an address),
set the code with the salarié or give a one-time code, reopen a link locked by wrong codes,
close it, and record the consent to reminders (services/personal_space/access.py)."""

from __future__ import annotations

import uuid
from datetime import date

import segno
from flask import g, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField

from siae_app.blueprints.employees import bp
from siae_app.blueprints.forms_common import act, see_other, strip
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.models.base import utcnow
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.mail import send_mail
from siae_app.services.personal_space import access as space_access


class OpenLinkForm(FlaskForm):
    send_by_mail = BooleanField("Envoyer aussi le lien par courriel au salarié")


class CodeForm(FlaskForm):
    code = PasswordField("Code choisi par le salarié (6 chiffres)", filters=[strip])


class RemindersForm(FlaskForm):
    consent = BooleanField(
        "Le salarié accepte de recevoir un courriel la veille d'un rendez-vous et le jour où "
        "une auto-évaluation l'attend"
    )


def personal_link(secret: str) -> str:
    # The secret after « # »: the browser never sends it to the server (espace.js reads it).
    return url_for("espace.home", _external=True) + "#" + secret


def _page(
    employee,
    *,
    link: str | None = None,
    code: str | None = None,
    code_form=None,
    message: str | None = None,
    sent: bool = False,
):
    access = space_access.current(db.session, employee)
    structure = g.structure
    return render(
        "employees/personal_space.html",
        employee=employee,
        access=access,
        ends_on=space_access.ends_on(employee, structure),
        closed=(
            space_access.closed_reason(access, employee, structure, date.today())
            if access
            else None
        ),
        link=link,
        qr=segno.make(link, error="m").svg_data_uri(scale=5, border=2) if link else None,
        given_code=code,
        open_form=OpenLinkForm(formdata=None),
        code_form=code_form or CodeForm(formdata=None),
        reminders_form=RemindersForm(
            formdata=None, consent=bool(access and access.reminders_consented_at)
        ),
        message=message,
        sent=sent,
    )


def _current(employee):
    access = space_access.current(db.session, employee)
    if access is None:
        raise ServiceError("Ouvrez d'abord un lien pour ce salarié.")
    return access


@bp.get("/<uuid:employee_id>/espace")
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space(employee_id: uuid.UUID):
    return _page(load_employee(employee_id))


@bp.route("/<uuid:employee_id>/espace/lien", methods=GET_POST)
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_link(employee_id: uuid.UUID):
    """A new link, shown this once (the old one stops working)."""
    employee = load_employee(employee_id)
    form = OpenLinkForm()
    if not form.validate_on_submit():
        return _page(employee), (422 if form.errors else 200)
    try:
        _access, secret = space_access.open_link(
            db.session, g.membership, employee, g.structure, date.today()
        )
    except ServiceError as exc:
        return _page(employee, message=exc.message), 422
    link = personal_link(secret)
    sent = False
    if form.send_by_mail.data and employee.email:
        sent = send_mail(
            employee.email,
            f"Votre espace personnel — {g.structure.name}",
            "Bonjour,\n\nVoici le lien de votre espace personnel :\n"
            f"{link}\n\nPour l'ouvrir, il faut aussi votre code (6 chiffres).\n"
            "Si vous n'avez pas de code, demandez-le à votre conseillère ou votre conseiller.\n",
            purpose="espace personnel",
        )
    return _page(employee, link=link, sent=sent)


@bp.route("/<uuid:employee_id>/espace/code", methods=GET_POST)
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_code(employee_id: uuid.UUID):
    """The code the salarié chooses, typed by them on the CIP's screen."""
    employee = load_employee(employee_id)
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(employee, code_form=form), (422 if form.errors else 200)
    try:
        space_access.set_code(db.session, _current(employee), employee, form.code.data or "")
    except ServiceError as exc:
        form.code.errors = [exc.message]
        return _page(employee, code_form=form), 422
    return see_other(".personal_space", "Code enregistré.", employee_id=employee.id)


@bp.post("/<uuid:employee_id>/espace/code-unique")
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_temporary_code(employee_id: uuid.UUID):
    """A one-time code to hand over, shown this once."""
    employee = load_employee(employee_id)
    try:
        code = space_access.give_temporary_code(db.session, _current(employee))
    except ServiceError as exc:
        return _page(employee, message=exc.message), 422
    return _page(employee, code=code)


@bp.post("/<uuid:employee_id>/espace/rouvrir")
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_reopen(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return act(
        lambda: space_access.reopen(db.session, _current(employee)),
        "Lien débloqué : le salarié peut de nouveau taper son code.",
        ".personal_space",
        employee_id=employee.id,
    )


@bp.post("/<uuid:employee_id>/espace/fermer")
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_revoke(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return act(
        lambda: space_access.revoke(db.session, g.membership, _current(employee)),
        "Espace fermé : le lien et les téléphones déjà ouverts ne fonctionnent plus.",
        ".personal_space",
        employee_id=employee.id,
    )


@bp.post("/<uuid:employee_id>/espace/rappels")
@require(Perm.PERSONAL_SPACE_MANAGE)
def personal_space_reminders(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    form = RemindersForm()

    def record():
        access = _current(employee)
        if not form.validate_on_submit():
            raise ServiceError("La page a expiré : recommencez.")
        if form.consent.data and not employee.email:
            raise ServiceError("Ce salarié n'a pas d'adresse électronique : notez-la d'abord.")
        if form.consent.data:
            access.reminders_consented_at = access.reminders_consented_at or utcnow()
            access.reminders_recorded_by_id = g.membership.id
        else:
            access.reminders_consented_at = None
            access.reminders_recorded_by_id = g.membership.id
        db.session.flush()

    return act(record, "Choix des rappels enregistré.", ".personal_space", employee_id=employee.id)
