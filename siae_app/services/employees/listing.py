"""The list of salariés: filters, search by name, counts; rows ready for the page.

SQL does the scope, team, référent, status and name filters. Contract and PASS ends are read
as plain columns (no objects: the list stays fast with thousands of salariés). « Fin de PASS ou
de contrat dans N semaines »: SQL keeps the salariés who may match (a contract ending in the
window, a PASS whose end before its suspensions and prolongations falls before the window's
end), the exact ends are computed for those only, and only the page's salariés are loaded.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Contract,
    Employee,
    ExitFollowup,
    Membership,
    PassExtension,
    PassIae,
    PassStatus,
    PassSuspension,
)
from siae_app.services.employees import pass_iae

STATUS_CHOICES = {"en_parcours": "En parcours", "sorti": "Sortis", "tous": "Tous"}
ENDING_CHOICES = {"": "—", "4": "4 semaines", "8": "8 semaines", "12": "12 semaines"}
PAGE_SIZE = 50


@dataclass
class ListFilter:
    q: str = ""
    team_id: uuid.UUID | None = None
    referent_id: uuid.UUID | None = None
    status: str = "en_parcours"
    ending_weeks: int | None = None
    page: int = 1


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


@dataclass
class Row:
    employee: Employee
    contract_end: date | None
    pass_end: date | None
    pass_status: PassStatus | None
    ending_soon: bool


def with_file(stmt: Select) -> Select:
    """What the file page reads, loaded in a fixed number of queries."""
    return stmt.options(
        selectinload(Employee.team),
        selectinload(Employee.referent).selectinload(Membership.user),
        selectinload(Employee.contracts),
        selectinload(Employee.passes).selectinload(PassIae.suspensions),
        selectinload(Employee.passes).selectinload(PassIae.extensions),
        selectinload(Employee.previous_stays),
        selectinload(Employee.exit_followups)
        .selectinload(ExitFollowup.recorded_by)
        .selectinload(Membership.user),
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


def _contract_ends(session: Session, ids: list, today: date) -> dict:
    """Per salarié: the end of the contract running today, else of the last one."""
    periods = defaultdict(list)
    stmt = select(
        Contract.employee_id, Contract.start_date, Contract.end_date, Contract.ended_early_on
    ).where(Contract.employee_id.in_(ids))
    for employee_id, start, end, early in session.execute(stmt):
        periods[employee_id].append((start, early or end))
    ends = {}
    for employee_id, spans in periods.items():
        spans.sort()
        running = [end for start, end in spans if start <= today <= end]
        ends[employee_id] = running[-1] if running else spans[-1][1]
    return ends


def _pass_ends(session: Session, ids: list, today: date) -> dict:
    """Per salarié: (end, status) of the latest PASS, suspensions and prolongations included."""
    passes = session.execute(
        select(PassIae.id, PassIae.employee_id, PassIae.start_date, PassIae.end_date).where(
            PassIae.employee_id.in_(ids)
        )
    ).all()
    pass_ids = select(PassIae.id).where(PassIae.employee_id.in_(ids))
    suspensions, months = defaultdict(list), defaultdict(list)
    for pass_id, start, end in session.execute(
        select(PassSuspension.pass_id, PassSuspension.start_date, PassSuspension.end_date).where(
            PassSuspension.pass_id.in_(pass_ids)
        )
    ):
        suspensions[pass_id].append((start, end))
    for pass_id, m in session.execute(
        select(PassExtension.pass_id, PassExtension.months).where(
            PassExtension.pass_id.in_(pass_ids)
        )
    ):
        months[pass_id].append(m)
    latest = {}
    for pass_id, employee_id, _start, end in sorted(passes, key=lambda p: p[2]):
        latest[employee_id] = (pass_id, end)
    out = {}
    for employee_id, (pass_id, end) in latest.items():
        real_end = pass_iae.end_from(end, suspensions[pass_id], months[pass_id])
        out[employee_id] = (real_end, pass_iae.status_from(real_end, suspensions[pass_id], today))
    return out


def _may_end_within(stmt: Select, today: date, horizon: date) -> Select:
    """Keep the salariés whose contract or PASS may end between ``today`` and ``horizon``: a
    superset of the exact rule (``_rows``), as an effective end is never before its PASS's
    end date, and equals it without suspension or prolongation."""
    contract_end = func.coalesce(Contract.ended_early_on, Contract.end_date)
    contracts = select(Contract.employee_id).where(contract_end.between(today, horizon))
    pushed = or_(
        PassIae.id.in_(select(PassSuspension.pass_id)),
        PassIae.id.in_(select(PassExtension.pass_id)),
    )
    passes = select(PassIae.employee_id).where(
        PassIae.end_date <= horizon, or_(PassIae.end_date >= today, pushed)
    )
    return stmt.where(or_(Employee.id.in_(contracts), Employee.id.in_(passes)))


def _ending_page(session, filtered: Select, horizon: date, today: date, pages_of, size: int):
    """(total, rows of the page) under « fin dans N semaines »: ids and ends as plain
    columns for the salariés who may match, objects for the page's only. ``pages_of(total)``
    gives (pages, the page shown)."""
    ids = session.scalars(
        _may_end_within(filtered, today, horizon)
        .with_only_columns(Employee.id)
        .order_by(func.lower(Employee.last_name), func.lower(Employee.first_name), Employee.id)
    ).all()
    ends = _ends(session, ids, today)
    matching = [i for i in ids if _ends_within(ends, i, today, horizon)]
    start = (pages_of(len(matching))[1] - 1) * size
    page_ids = matching[start : start + size]
    loaded = session.scalars(_ordered(select(Employee).where(Employee.id.in_(page_ids))))
    employees = {e.id: e for e in loaded}
    return len(matching), [_row(employees[i], ends, True) for i in page_ids]


def _ordered(stmt: Select) -> Select:
    return stmt.options(
        selectinload(Employee.team),
        selectinload(Employee.referent).selectinload(Membership.user),
    ).order_by(func.lower(Employee.last_name), func.lower(Employee.first_name), Employee.id)


Ends = tuple[dict, dict]  # (contract end, (PASS end, status)) by salarié id


def _ends(session: Session, ids: list, today: date) -> Ends:
    if not ids:
        return {}, {}
    return _contract_ends(session, ids, today), _pass_ends(session, ids, today)


def _row(employee: Employee, ends: Ends, ending_soon: bool) -> Row:
    contract_ends, pass_ends = ends
    pass_end, pass_status = pass_ends.get(employee.id, (None, None))
    return Row(employee, contract_ends.get(employee.id), pass_end, pass_status, ending_soon)


def _ends_within(ends: Ends, employee_id, today: date, horizon: date) -> bool:
    contract_ends, pass_ends = ends
    found = (contract_ends.get(employee_id), pass_ends.get(employee_id, (None, None))[0])
    return any(d is not None and today <= d <= horizon for d in found)


def _rows(session: Session, employees, today: date) -> list[Row]:
    ends = _ends(session, [e.id for e in employees], today)
    return [_row(e, ends, False) for e in employees]


def rows(
    session: Session,
    scoped: Select,
    flt: ListFilter,
    today: date | None = None,
    page_size: int = PAGE_SIZE,
) -> Page:
    """One page of the list — ``scoped`` comes from scopes.employees.

    Without the « fin dans N semaines » filter, SQL counts and pages; with it, see
    ``_ending_page``. A page past the last one shows the last one.
    """
    today = today or date.today()
    filtered = _filtered(scoped, flt, today)

    def pages_of(total: int) -> tuple[int, int]:
        pages = max(1, -(-total // page_size))
        return pages, min(max(flt.page, 1), pages)

    if flt.ending_weeks:
        horizon = today + timedelta(weeks=flt.ending_weeks)
        total, page_rows = _ending_page(session, filtered, horizon, today, pages_of, page_size)
        pages, page = pages_of(total)
    else:
        count = filtered.with_only_columns(func.count(Employee.id)).order_by(None)
        total = session.scalar(count) or 0
        pages, page = pages_of(total)
        start = (page - 1) * page_size
        employees = session.scalars(_ordered(filtered).limit(page_size).offset(start)).all()
        page_rows = _rows(session, employees, today)
    return Page(page_rows, total, page, pages)


EXPORT_LIMIT = 10_000


def count_label(n: int) -> str:
    return f"{n} salarié" if n <= 1 else f"{n} salariés"
