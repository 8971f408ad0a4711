"""Situations urgentes: flagged by the ETI, acknowledged by the référent CIP or coordination."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.blueprints.forms_common import FormFlow, form_page
from siae_app.blueprints.routes_common import GET_POST, ObjectRoutes
from siae_app.blueprints.urgent import bp
from siae_app.blueprints.urgent.forms import AcknowledgeForm, ReportForm
from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.models.urgent import UrgentSituation
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import urgent as service


def _employee(employee_id: uuid.UUID) -> Employee:
    return db.first_or_404(scopes.employees(g.membership).where(Employee.id == employee_id))


def _situation(urgent_id: uuid.UUID) -> UrgentSituation:
    stmt = service.visible(g.membership).where(UrgentSituation.id == urgent_id)
    return db.first_or_404(stmt)


REPORT = FormFlow(
    ReportForm,
    service.report,
    fields=("kind", "text"),
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


EMPLOYEE = ObjectRoutes(bp, "employee_id", _employee, "", prefix="/salaries")
SITUATION = ObjectRoutes(bp, "urgent_id", _situation, ".index")


@EMPLOYEE.view("/signaler", Perm.URGENT_REPORT, GET_POST)
def report(employee: Employee):
    page = form_page("urgent/report.html", employee=employee)
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


@SITUATION.view("/prise-en-compte", Perm.URGENT_HANDLE, GET_POST)
def acknowledge(situation: UrgentSituation):
    page = form_page("urgent/acknowledge.html", situation=situation)
    return ACKNOWLEDGEMENT.new(page, g.membership, situation)
