"""Alerts of the week: one line per salarié; « Vu — rappeler dans 7 jours »."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, g, request

from siae_app.blueprints.alerts import bp
from siae_app.blueprints.forms_common import see_other
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.extensions import db
from siae_app.models import Role
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render, wants_fragment
from siae_app.services import ServiceError, alert_lines
from siae_app.services import alerts as service

# The home shows the most urgent lines only (the page has them all): on a phone it stays
# within two screens whatever the number of salariés.
HOME_LINES = 3


def _preview() -> bool:
    """The home's block (``?apercu=1``): the figures and the most urgent lines."""
    return request.args.get("apercu") == "1"


# The page shows this many lines at a time, the most urgent first (the figures count them
# all): with thousands of salariés it stays a page a phone can load.
PAGE_LINES = 50


def _page_number() -> int:
    raw = request.args.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _page(message: str | None = None) -> str:
    today = date.today()
    all_lines = alert_lines.current(db.session, g.membership, today)
    preview = _preview()
    across = Role.COORDINATOR in g.membership.role_set and not preview
    pages = max(1, -(-len(all_lines) // PAGE_LINES))
    page = min(_page_number(), pages)  # a page past the last one is the last
    if preview:
        page, pages = 1, 1
        shown = all_lines.page(0, HOME_LINES)
    else:
        shown = all_lines.page((page - 1) * PAGE_LINES, page * PAGE_LINES)
    if across:
        groups = service.group_by_referent(shown, service.referent_names(db.session, shown))
    else:
        groups = [("", shown)]
    return render(
        "alerts/page.html",
        block="alertes",
        groups=groups,
        across=across,
        count=len(all_lines),
        tallies=service.tally_of(all_lines.totals),
        colour_labels=service.COLOUR_LABELS,
        preview=preview,
        message=message,
        page=page,
        pages=pages,
    )


@bp.get("/")
@require(Perm.ALERTS_VIEW)
def index():
    return _page()


@bp.post("/<uuid:employee_id>/vu")
@require(Perm.ALERTS_VIEW)
def snooze(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    try:
        service.snooze(db.session, g.membership, employee, date.today())
    except ServiceError as exc:
        if wants_fragment():
            return _page(exc.message), 422
        flash(exc.message, "error")
        return see_other(".index")
    message = f"Alertes de {employee.display_name} reportées de {service.SNOOZE_DAYS} jours."
    if wants_fragment():
        return _page(message)
    return see_other(".index", message)
