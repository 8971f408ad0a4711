"""The list of salariés: filters, search by name, counts; rows ready for the page.

SQL does the scope, team, référent, status and name filters; « fin de PASS ou de contrat
dans N semaines » needs the computed PASS end (suspensions, prolongations), so it is applied
to the loaded rows: a structure has hundreds of salariés, not millions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Membership, PassIae
from siae_app.services.employees import contracts, pass_iae

STATUS_CHOICES = {"en_parcours": "En parcours", "sorti": "Sortis", "tous": "Tous"}
ENDING_CHOICES = {"": "—", "4": "4 semaines", "8": "8 semaines", "12": "12 semaines"}


@dataclass
class ListFilter:
    q: str = ""
    team_id: uuid.UUID | None = None
    referent_id: uuid.UUID | None = None
    status: str = "en_parcours"
    ending_weeks: int | None = None


@dataclass
class Row:
    employee: Employee
    contract_end: date | None
    pass_end: date | None
    pass_status: str | None
    ending_soon: bool


def with_file(stmt: Select) -> Select:
    """What a list row and the file page read, loaded in a fixed number of queries."""
    return stmt.options(
        selectinload(Employee.team),
        selectinload(Employee.referent).selectinload(Membership.user),
        selectinload(Employee.contracts),
        selectinload(Employee.passes).selectinload(PassIae.suspensions),
        selectinload(Employee.passes).selectinload(PassIae.extensions),
    )


def _filtered(stmt: Select, flt: ListFilter, today: date) -> Select:
    if flt.team_id:
        stmt = stmt.where(Employee.team_id == flt.team_id)
    if flt.referent_id:
        stmt = stmt.where(Employee.referent_id == flt.referent_id)
    if flt.status == "en_parcours":
        stmt = stmt.where(or_(Employee.exit_date.is_(None), Employee.exit_date > today))
    elif flt.status == "sorti":
        stmt = stmt.where(Employee.exit_date <= today)
    for word in flt.q.split()[:5]:
        like = f"%{word.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Employee.last_name).like(like),
                func.lower(Employee.usage_name).like(like),
                func.lower(Employee.first_name).like(like),
            )
        )
    return stmt


def _row(employee: Employee, horizon: date | None, today: date) -> Row:
    contract = contracts.current_contract(employee, today)
    current = pass_iae.current_pass(employee)
    contract_end = contract.effective_end if contract else None
    pass_end = pass_iae.effective_end(current) if current else None
    soon = horizon is not None and any(
        d is not None and today <= d <= horizon for d in (contract_end, pass_end)
    )
    return Row(
        employee=employee,
        contract_end=contract_end,
        pass_end=pass_end,
        pass_status=pass_iae.status(current, today) if current else None,
        ending_soon=soon,
    )


def rows(session: Session, scoped: Select, flt: ListFilter, today: date | None = None):
    """(rows, total in scope with these filters) — ``scoped`` comes from scopes.employees."""
    today = today or date.today()
    stmt = with_file(_filtered(scoped, flt, today)).order_by(
        func.lower(Employee.last_name), func.lower(Employee.first_name)
    )
    horizon = today + timedelta(weeks=flt.ending_weeks) if flt.ending_weeks else None
    found = [_row(e, horizon, today) for e in session.scalars(stmt)]
    if horizon is not None:
        found = [r for r in found if r.ending_soon]
    return found


def count_label(n: int) -> str:
    return f"{n} salarié" if n <= 1 else f"{n} salariés"
