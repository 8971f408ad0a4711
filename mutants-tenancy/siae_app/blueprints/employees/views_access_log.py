"""Journal des accès aux fiches, for direction and administration.

The administrator reads who opened which file, and when, without access to the files.
"""

from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.employees import bp
from siae_app.blueprints.forms_common import uuid_or_none
from siae_app.extensions import db
from siae_app.models import Employee, Membership
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.employees import access_log
from siae_app.services.employees.dates import parse_date


def _filter() -> access_log.LogFilter:
    args = request.args
    return access_log.LogFilter(
        membership_id=uuid_or_none(args.get("personne")),
        employee_id=uuid_or_none(args.get("salarie")),
        since=parse_date(args.get("du") or ""),
        until=parse_date(args.get("au") or ""),
    )


@bp.get("/journal-des-acces")
@require(Perm.ACCESS_LOG_VIEW)
def access_log_page():
    flt = _filter()
    entries, total = access_log.entries(db.session, flt)
    people = db.session.scalars(select(Membership).options(selectinload(Membership.user))).all()
    employees = db.session.scalars(select(Employee).order_by(Employee.last_name)).all()
    return render(
        "employees/access_log.html",
        block="log_rows",
        entries=entries,
        total=total,
        flt=flt,
        people=sorted(people, key=lambda m: m.user.full_name),
        employees=employees,
        part_label=access_log.part_label,
        args=request.args,
    )
