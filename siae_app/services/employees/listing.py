"""The list of salariés: filters, search by name, counts; rows ready for the page.

SQL does the scope, team, référent, status and name filters, counts and pages; the ends of
the running-or-last contract and of the latest PASS (suspensions and prolongations included)
are computed in SQL too (services.employees.ends), for the page's salariés, or under « Fin de
PASS ou de contrat dans N semaines » for every salarié of the structure who may match, kept
under the files revision: the number of queries does not grow with the number of salariés.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ARRAY, Select, Text, Uuid, bindparam, cast, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql import Subquery

from siae_app import tenancy
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
from siae_app.services.employees import ends, pass_iae
from siae_app.services.funding import figures_cache, revision

STATUS_CHOICES = {"en_parcours": "En parcours", "sorti": "Sortis", "tous": "Tous"}
ENDING_CHOICES = {"": "—", "4": "4 semaines", "8": "8 semaines", "12": "12 semaines"}
WIDEST_ENDING_WEEKS = max(int(weeks) for weeks in ENDING_CHOICES if weeks)
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
    """What the file page reads, loaded in a fixed number of queries: the team and the
    référent (with their account) in the salarié's own, one per list after it."""
    return stmt.options(
        joinedload(Employee.team),
        joinedload(Employee.referent),  # its account comes joined with it (Membership.user)
        selectinload(Employee.contracts),
        selectinload(Employee.passes).selectinload(PassIae.suspensions),
        selectinload(Employee.passes).selectinload(PassIae.extensions),
        selectinload(Employee.previous_stays),
        selectinload(Employee.exit_followups).joinedload(ExitFollowup.recorded_by),
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


def _may_end_within(stmt: Select, today: date, horizon: date) -> Select:
    """Keep the salariés whose contract or PASS may end between ``today`` and ``horizon``: a
    superset of the exact rule (services.employees.ends), as an effective end is never before
    its PASS's end date, and equals it without suspension or prolongation. It keeps the exact
    computation to the salariés who may match."""
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


ORDER = (func.lower(Employee.last_name), func.lower(Employee.first_name), Employee.id)


def _with_ends(found: Subquery, *extra) -> Select:
    """The salariés of ``found`` (services.employees.ends) with their ends, team and référent
    in one query (many-to-one: joined, no query per row)."""
    return (
        select(Employee, found.c.contract_end, found.c.pass_end, found.c.pass_suspended, *extra)
        .join(found, found.c.employee_id == Employee.id)
        .options(
            joinedload(Employee.team),
            joinedload(Employee.referent).joinedload(Membership.user),
        )
        .order_by(*ORDER)
    )


def _ending_page(session, filtered: Select, flt: ListFilter, today: date, size: int):
    """(total, rows of the page) under « fin dans N semaines »: the structure's salariés
    ending within the widest window come from ``_ending_soon`` (kept); one query keeps those
    of this window the person's filters select, counts them and reads the page's rows (a
    second one only for a page past the last)."""
    first, last = today.isoformat(), (today + timedelta(weeks=flt.ending_weeks)).isoformat()
    soon = {
        key: found
        for key, found in _ending_soon(session, today).items()
        if any(end is not None and first <= end <= last for end in found[:2])
    }
    if not soon:
        return 0, []
    matching = _among(
        session,
        filtered.with_only_columns(Employee.id, func.count().over().label("total")),
        list(soon),
    ).order_by(*ORDER)

    def page_at(page: int) -> list:
        narrow = matching.limit(size).offset((page - 1) * size).subquery()
        return (
            session.execute(
                select(Employee, narrow.c.total)
                .join(narrow, narrow.c.id == Employee.id)
                .options(
                    joinedload(Employee.team),
                    joinedload(Employee.referent).joinedload(Membership.user),
                )
                .order_by(*ORDER)
            )
            .unique()
            .all()
        )

    lines = page_at(max(flt.page, 1))
    if not lines and flt.page > 1:
        total = session.scalar(matching.with_only_columns(func.count()).order_by(None)) or 0
        lines = page_at(_pages(total, size)) if total else []
    total = lines[0].total if lines else 0
    return total, [_row(e, *_dates(soon[str(e.id)]), today, ending_soon=True) for e, _t in lines]


def _dates(found: tuple) -> tuple:
    contract_end, pass_end, suspended = found
    as_date = date.fromisoformat
    return (contract_end and as_date(contract_end), pass_end and as_date(pass_end), suspended)


def _among(session, stmt: Select, ids: list[str]) -> Select:
    """``stmt`` kept to the salariés of ``ids`` (as text). On PostgreSQL, joined to one array
    parameter unnested: a thousand ids would be a thousand placeholders for the driver to
    write and the server to parse at each page, and ``id = ANY(array)`` gets, once the
    statement is prepared, a generic plan that compares every salarié to every id (0.8 s at
    3,000 salariés). On SQLite, a list."""
    if session.get_bind().dialect.name == "postgresql":
        given = cast(bindparam("ids", ids, type_=ARRAY(Text)), ARRAY(Uuid))
        soon = func.unnest(given).table_valued("id").render_derived(name="soon")
        return stmt.join(soon, soon.c.id == Employee.id)
    return stmt.where(Employee.id.in_([uuid.UUID(i) for i in ids]))


def _ending_soon(session, today: date) -> dict[str, tuple]:
    """{salarié id: (contract end, PASS end, PASS suspended today)} of the structure's
    salariés whose contract or PASS ends within the widest window of the list, whatever the
    person's filters. Ids and dates only, as text (ISO dates compare as text; read back
    at each page, a thousand of them), kept under the structure's files revision (no
    attendance mark moves it), so that the ends of every salarié who may match are not
    computed again at each page (about a thousand at 3,000 salariés)."""
    horizon = today + timedelta(weeks=WIDEST_ENDING_WEEKS)

    def compute() -> dict[str, tuple]:
        candidates = _may_end_within(select(Employee.id), today, horizon)
        found = ends.ends(candidates, today)
        within = or_(
            found.c.contract_end.between(today, horizon),
            found.c.pass_end.between(today, horizon),
        )
        return {
            str(row.employee_id): (
                row.contract_end and row.contract_end.isoformat(),
                row.pass_end and row.pass_end.isoformat(),
                bool(row.pass_suspended),
            )
            for row in session.execute(select(found).where(within))
        }

    structure_id = tenancy.current_tenant(session)
    if not isinstance(structure_id, uuid.UUID):  # a script in the system scope: no key
        return compute()
    name = f"fins:{today.isoformat()}"
    return figures_cache.kept(session, structure_id, name, compute, kind=revision.FILES)


def _page(session, filtered: Select, flt: ListFilter, today: date, size: int):
    """(total, rows of the page) without that filter: SQL counts, then reads the page's
    salariés and computes their ends only."""
    count = filtered.with_only_columns(func.count(Employee.id)).order_by(None)
    total = session.scalar(count) or 0
    page = min(max(flt.page, 1), _pages(total, size))
    ids = filtered.with_only_columns(Employee.id).order_by(*ORDER)
    found = ends.ends(ids.limit(size).offset((page - 1) * size), today)
    lines = session.execute(_with_ends(found)).unique().all()
    return total, [_row(*line, today, ending_soon=False) for line in lines]


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _row(employee: Employee, contract_end, pass_end, suspended, today, ending_soon) -> Row:
    status = None
    if pass_end is not None:  # a suspension covering today is all status_from looks at
        status = pass_iae.status_from(pass_end, [(today, today)] if suspended else [], today)
    return Row(employee, contract_end, pass_end, status, ending_soon)


def rows(
    session: Session,
    scoped: Select,
    flt: ListFilter,
    today: date | None = None,
    page_size: int = PAGE_SIZE,
) -> Page:
    """One page of the list — ``scoped`` comes from scopes.employees; a page past the last
    one shows the last one. A fixed number of queries, whatever the number of salariés."""
    today = today or date.today()
    filtered = _filtered(scoped, flt, today)
    read = _ending_page if flt.ending_weeks else _page
    total, page_rows = read(session, filtered, flt, today, page_size)
    pages = _pages(total, page_size)
    return Page(page_rows, total, min(max(flt.page, 1), pages), pages)


EXPORT_LIMIT = 10_000


def count_label(n: int) -> str:
    return f"{n} salarié" if n <= 1 else f"{n} salariés"
