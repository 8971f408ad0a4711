"""Situations urgentes: flagged by the ETI, acknowledged by the référent CIP or coordination."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.blueprints.forms_common import FormFlow, form_page, uuid_or_none
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.blueprints.urgent import bp, loaders
from siae_app.blueprints.urgent.forms import AcknowledgeForm, ReportForm
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import urgent as service

REPORT = FormFlow(
    ReportForm,
    service.report,
    fields=("kind", "text"),
    converted={"record_id": uuid_or_none},
    error_field="text",
    message="Situation urgente signalée : le référent et la coordination sont prévenus.",
    back="s.attendance.today",
)
ACKNOWLEDGEMENT = FormFlow(
    AcknowledgeForm,
    service.acknowledge,
    fields=("action_taken",),
    error_field="action_taken",
    message="Situation prise en compte.",
    back=".index",
)


@bp.route("/salaries/<uuid:employee_id>/signaler", methods=GET_POST)
@require(Perm.URGENT_REPORT)
def report(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    # A new id with each showing of the form: a double tap sends the same situation twice
    # (saved once); a form shown again after a refusal is a new attempt.
    page = form_page("urgent/report.html", employee=employee, new_id=uuid.uuid4())
    return REPORT.new(page, g.membership, employee)


@bp.get("/bandeau")
@require(Perm.URGENT_HANDLE)
def banner():
    """The fragment for the top of the home page (empty when nothing is waiting)."""
    return render(
        "urgent/_banner.html", situations=service.open_situations(db.session, g.membership)
    )


@bp.get("/")
@require(Perm.URGENT_HANDLE)
def index():
    return render(
        "urgent/index.html",
        situations=service.open_situations(db.session, g.membership),
        handled=service.recent_handled(db.session, g.membership),
    )


@bp.route("/<uuid:urgent_id>/prise-en-compte", methods=GET_POST)
@require(Perm.URGENT_HANDLE)
def acknowledge(urgent_id: uuid.UUID):
    situation = loaders.situation(urgent_id)
    page = form_page("urgent/acknowledge.html", situation=situation)
    return ACKNOWLEDGEMENT.new(page, g.membership, situation)
