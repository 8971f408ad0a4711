"""Présences: today's rosters, marking (idempotent by the record id), grids and exports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal
from sqlalchemy import Select, exists, func, literal, not_, or_, select
from sqlalchemy.orm import Session, aliased, load_only

from siae_app.models import Contract, Employee, Membership, Team
from siae_app.models.attendance import (
    ABSENCE_MOTIFS,
    ATTENDANCE_STATUSES,
    MARK_HISTORY_ENTITY,
    Attendance,
)
from siae_app.services import ServiceError, client_ids, history

TWO_PLACES = Decimal("0.01")
# Absences planned with the structure: they do not lower the assiduité rate.
PLANNED_MOTIFS = frozenset({"conge", "formation", "rdv_partenaire", "pmsmp"})
MAX_DAY_HOURS = Decimal("12")
# An unjustified absence: (status, motif) as ix_attendances_unjustified reads them.
UNJUSTIFIED = ("absent", "injustifiee")


def hours_fr(value) -> str:
    """« 17,5 »: hours in French as ``format_decimal`` writes them, without Babel's cost for
    the usual amounts (a month grid shows hundreds); other amounts go through Babel."""
    if value is None:
        return ""
    amount = Decimal(value)
    if not 0 <= amount < 1000 or amount.as_tuple().exponent < -3:
        return format_decimal(amount)
    return format(amount.normalize(), "f").replace(".", ",")


WEEKDAY_LETTERS = "LMMJVSD"  # « EEEEE » in French, Monday first


def day_label(day: date) -> str:
    """« L 30 »: the narrow weekday and the day of the month (a grid's column header)."""
    return f"{WEEKDAY_LETTERS[day.weekday()]} {day.day}"


def daily_hours(weekly_hours: Decimal | None) -> Decimal:
    """The default hours of a day: the contract's weekly hours over five days."""
    if not weekly_hours:
        return Decimal("0.00")
    return (Decimal(weekly_hours) / 5).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ rosters


@dataclass
class RosterRow:
    employee: Employee
    default_hours: Decimal
    record: Attendance | None = None
    new_id: uuid.UUID = field(default_factory=uuid.uuid4)  # the id a first mark will use


@dataclass
class Roster:
    team: Team
    day: date
    rows: list[RosterRow]

    @property
    def unmarked(self) -> list[RosterRow]:
        return [r for r in self.rows if r.record is None]

    @property
    def absent_count(self) -> int:
        return sum(1 for r in self.rows if r.record and r.record.status == "absent")


def contract_covers(day: date) -> list:
    return [
        Contract.start_date <= day,
        func.coalesce(Contract.ended_early_on, Contract.end_date) >= day,
    ]


ROSTER_FIELDS = (Employee.last_name, Employee.usage_name, Employee.first_name, Employee.team_id)


def expected(session: Session, team_ids: list[uuid.UUID], day: date) -> dict:
    """{employee id: (employee, weekly hours)} of the salariés expected ``day`` in the teams:
    in the team, not gone, with a contract covering the day. Only what a roster shows and
    groups by is read (the name and the team): not their address, phone or accommodations."""
    stmt = (
        select(Employee, Contract.weekly_hours)
        .options(load_only(*ROSTER_FIELDS))
        .join(Contract, Contract.employee_id == Employee.id)
        .where(Employee.team_id.in_(team_ids), *contract_covers(day))
        .where(or_(Employee.exit_date.is_(None), Employee.exit_date >= day))
        .order_by(Employee.last_name, Employee.first_name, Contract.start_date)
    )
    found: dict = {}
    for employee, weekly in session.execute(stmt):
        found[employee.id] = (employee, weekly)  # the latest contract (avenant) wins
    return found


def rosters(session: Session, teams: list[Team], day: date) -> list[Roster]:
    """Each team's roster for the day, with the marks already made (three queries)."""
    people = expected(session, [t.id for t in teams], day)
    records = {
        a.employee_id: a
        for a in session.scalars(
            select(Attendance).where(Attendance.employee_id.in_(people), Attendance.day == day)
        )
    }
    by_team: dict = {t.id: [] for t in teams}
    for employee, weekly in people.values():
        row = RosterRow(employee, daily_hours(weekly), records.get(employee.id))
        by_team[employee.team_id].append(row)
    return [Roster(team, day, by_team[team.id]) for team in teams]


# ------------------------------------------------------------------ marking


@dataclass
class Mark:
    record_id: uuid.UUID
    employee_id: uuid.UUID
    status: str
    motif: str | None = None
    late_minutes: int | None = None
    hours_worked: Decimal | None = None


def _checked(mark: Mark, default_hours: Decimal) -> dict:
    if mark.status not in ATTENDANCE_STATUSES:
        raise ServiceError("Choisissez présent, absent, retard ou départ anticipé.", "status")
    values = {"status": mark.status, "motif": None, "late_minutes": None}
    if mark.status == "absent":
        if mark.motif not in ABSENCE_MOTIFS:
            raise ServiceError("Choisissez le motif de l'absence.", field="motif")
        return values | {"motif": mark.motif, "hours_worked": Decimal("0.00")}
    hours = default_hours if mark.hours_worked is None else Decimal(mark.hours_worked)
    if mark.status == "late":
        minutes = mark.late_minutes or 0
        if not 0 < minutes <= 600:
            raise ServiceError("Indiquez le retard en minutes (1 à 600).", field="late_minutes")
        values["late_minutes"] = minutes
        if mark.hours_worked is None:
            hours = max(Decimal("0"), default_hours - Decimal(minutes) / 60)
    if not Decimal("0") <= hours <= MAX_DAY_HOURS:
        raise ServiceError("Les heures travaillées vont de 0 à 12.", field="hours_worked")
    return values | {"hours_worked": hours.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)}


def _new_record(by: Membership, roster: Roster, row: RosterRow, mark: Mark) -> Attendance:
    return Attendance(
        id=mark.record_id,
        employee_id=row.employee.id,
        team_id=roster.team.id,
        day=roster.day,
        marked_by_id=by.id,
        **_checked(mark, row.default_hours),
    )


def mark(session: Session, by: Membership, roster: Roster, mark: Mark) -> Attendance:
    """Mark one salarié of the roster. A replay — the record the roster holds for this
    salarié this day, under the same id — changes nothing; a second mark of the same person
    that day updates the record and keeps the change history. A first mark whose id another
    record holds raises ``IdTaken`` and saves nothing."""
    row = next((r for r in roster.rows if r.employee.id == mark.employee_id), None)
    if row is None:
        raise ServiceError("Ce salarié n'est pas attendu dans cette équipe ce jour-là.")
    if row.record is not None and row.record.id == mark.record_id:
        return row.record  # the roster holds the day's record: same id, same POST
    if row.record is not None:
        # The day's record is known by the salarié and the day: the id sent is not stored.
        values = _checked(mark, row.default_hours) | {"marked_by_id": by.id}
        history.change(session, by, MARK_HISTORY_ENTITY, row.record, values)
        session.flush()
        return row.record
    record = _new_record(by, roster, row, mark)
    client_ids.add_new(session, [record])
    row.record = record
    return record


def mark_all_present(
    session: Session, by: Membership, roster: Roster, ids: dict[uuid.UUID, uuid.UUID]
) -> int:
    """« Tous présents »: every salarié not yet marked is present with the contract's hours.
    ``ids`` maps each employee to the record id the phone created; returns how many were
    marked (0 on a replay). One id another record holds saves no one (``IdTaken``)."""
    rows = [r for r in roster.unmarked if r.employee.id in ids]  # a replay finds them marked
    created = [
        _new_record(by, roster, row, Mark(ids[row.employee.id], row.employee.id, "present"))
        for row in rows
    ]
    client_ids.add_new(session, created)
    for row, record in zip(rows, created, strict=True):
        row.record = record
    return len(created)


# ------------------------------------------------------------------ alerts


def unjustified_streaks(session: Session, employee_ids) -> dict[uuid.UUID, int]:
    """{employee id: number of unjustified absences in a row, ending with the latest mark},
    0 for those without. One query."""
    ids = list(employee_ids)
    streaks = dict.fromkeys(ids, 0)
    streaks.update(unjustified_streaks_among(session, ids))
    return streaks


# The marks a streak's query reads under other names, made once (an alias costs more to make
# than the rest of the statement).
_MARK = aliased(Attendance, name="mark")
_OTHER_MARK = aliased(Attendance, name="other_mark")


def unjustified_streaks_among(
    session: Session, employees, at_least: int = 1
) -> dict[uuid.UUID, int]:
    """The same for the salariés ``employees`` gives (ids, or a select of them), only those
    with a streak. One query: each unjustified absence counts when no other mark comes on
    or after its day (the alerts ask for thousands of salariés, few have a streak).
    ``at_least``: streaks that long or longer only. The salariés are narrowed first from the
    partial index alone: those with that many unjustified absences in all, and whose latest
    one no other mark follows (one look each); only theirs are counted, mark by mark. With
    years of marks, most salariés have had a few such absences, and few are absent now."""
    # The values written in the statement, not bound: PostgreSQL then uses the partial index
    # on these marks (ix_attendances_unjustified) whatever plan it keeps.
    absent, unjustified_motif = (literal(v, literal_execute=True) for v in UNJUSTIFIED)

    def unjustified(mark):
        return (mark.status == absent) & (mark.motif == unjustified_motif)

    def followed(employee_id, day):
        """Another kind of mark on or after ``day`` (one mark a day: not the absence)."""
        return exists().where(
            _OTHER_MARK.employee_id == employee_id,
            _OTHER_MARK.day >= day,
            not_(unjustified(_OTHER_MARK)),
        )

    mark = _MARK
    latest = (
        select(mark.employee_id, func.max(mark.day).label("day"))
        .where(mark.employee_id.in_(employees), unjustified(mark))
        .group_by(mark.employee_id)
        .having(func.count() >= at_least)
        .subquery("latest")
    )
    absent_now = select(latest.c.employee_id).where(~followed(latest.c.employee_id, latest.c.day))
    stmt = (
        select(Attendance.employee_id, func.count())
        .where(
            Attendance.employee_id.in_(absent_now),
            unjustified(Attendance),
            ~followed(Attendance.employee_id, Attendance.day),
        )
        .group_by(Attendance.employee_id)
        .having(func.count() >= at_least)
    )
    return dict(session.execute(stmt).tuples().all())


# ------------------------------------------------------------------ grids and totals


def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


@dataclass(slots=True)
class Cell:
    """One day of a grid: the columns of an Attendance a grid shows, without an ORM object
    per cell (a month of a structure is thousands of them)."""

    employee_id: uuid.UUID
    team_id: uuid.UUID | None
    day: date
    status: str
    motif: str | None
    late_minutes: int | None
    hours_worked: Decimal

    status_label = Attendance.status_label
    motif_label = Attendance.motif_label
    hours_label = Attendance.hours_label


CELL_COLUMNS = (
    Attendance.employee_id,
    Attendance.team_id,
    Attendance.day,
    Attendance.status,
    Attendance.motif,
    Attendance.late_minutes,
    Attendance.hours_worked,
)
LIGHT_COLUMNS = (
    Attendance.employee_id,
    Attendance.day,
    Attendance.status,
    Attendance.motif,
    Attendance.hours_worked,
)


@dataclass
class Totals:
    hours: Decimal = Decimal("0.00")
    present_days: int = 0
    absences: dict[str, int] = field(default_factory=dict)

    def add(self, record: Attendance | Cell) -> None:
        self.hours += Decimal(record.hours_worked or 0)
        if record.status == "absent":
            self.absences[record.motif] = self.absences.get(record.motif, 0) + 1
        else:
            self.present_days += 1

    @property
    def absent_days(self) -> int:
        return sum(self.absences.values())

    @property
    def rate(self) -> int | None:
        return assiduity_rate(self.present_days, self.absences)


def assiduity_rate(present_days: int, absences: dict[str, int]) -> int | None:
    """Assiduité (%): days present over days due (planned absences are not due)."""
    planned = sum(n for m, n in absences.items() if m in PLANNED_MOTIFS)
    due = present_days + sum(absences.values()) - planned
    return round(100 * present_days / due) if due else None


@dataclass
class GridLine:
    employee: Employee
    cells: dict[date, Cell] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)


@dataclass
class Grid:
    start: date
    end: date
    lines: list[GridLine]
    totals: Totals

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def headers(self) -> list[tuple[date, str]]:
        """The days with their column header (« L 30 »)."""
        return [(d, day_label(d)) for d in self.days]


def grid(session: Session, employees_stmt: Select, start: date, end: date, team_id=None) -> Grid:
    """Marks of the salariés (``employees_stmt``, a scope) between two days, with totals.

    With ``team_id``, only the days worked in that team count. Two queries; the marks come
    as plain rows (``Cell``), not ORM objects. For a few salariés (one salarié's page): the
    structure's month grid is ``grid_page``.
    """
    people = session.scalars(employees_stmt.order_by(Employee.last_name, Employee.first_name))
    lines = {e.id: GridLine(e) for e in people}
    totals = Totals()
    for cell in _cells(session, list(lines), start, end, team_id):
        line = lines[cell.employee_id]
        line.cells[cell.day] = cell
        line.totals.add(cell)
        totals.add(cell)
    return Grid(start, end, list(lines.values()), totals)


def _in_period(stmt: Select, start: date, end: date, team_id) -> Select:
    stmt = stmt.where(Attendance.day.between(start, end))
    return stmt if team_id is None else stmt.where(Attendance.team_id == team_id)


def _cells(session: Session, employee_ids: list, start: date, end: date, team_id, light=False):
    """The marks of the salariés over the period, as ``Cell``. ``light``: without the team
    and the late minutes (a grid's page does not show them; fewer values to convert)."""
    if not employee_ids:
        return []
    if light:
        stmt = select(*LIGHT_COLUMNS).where(Attendance.employee_id.in_(employee_ids))
        rows = session.execute(_in_period(stmt, start, end, team_id))
        return (Cell(e, None, d, s, m, None, h) for e, d, s, m, h in rows)
    stmt = select(*CELL_COLUMNS).where(Attendance.employee_id.in_(employee_ids))
    return (Cell(*row) for row in session.execute(_in_period(stmt, start, end, team_id)))


def _scope_ids(employees_stmt: Select) -> Select:
    """The ids of the scope's salariés, as a subquery (never a list of thousands of ids)."""
    return employees_stmt.with_only_columns(Employee.id).order_by(None)


def _hours(value) -> Decimal:
    """A SQL sum of hours as the Python sum of the marks would be (two places; SQLite sums
    NUMERIC as a float)."""
    return Decimal(str(value or 0)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _add_group(totals: Totals, status: str, motif: str | None, hours, count: int) -> None:
    """One GROUP BY status, motif row into ``totals`` (what ``Totals.add`` does per mark)."""
    totals.hours += _hours(hours)
    if status == "absent":
        totals.absences[motif] = totals.absences.get(motif, 0) + count
    else:
        totals.present_days += count


def scope_totals(
    session: Session, employees_stmt: Select, start: date, end: date, team_id=None
) -> Totals:
    """The totals of every salarié of the scope over the period: one aggregate query."""
    stmt = (
        select(Attendance.status, Attendance.motif, func.sum(Attendance.hours_worked), func.count())
        .where(Attendance.employee_id.in_(_scope_ids(employees_stmt)))
        .group_by(Attendance.status, Attendance.motif)
    )
    totals = Totals()
    for status, motif, hours, count in session.execute(_in_period(stmt, start, end, team_id)):
        _add_group(totals, status, motif, hours, count)
    return totals


GRID_PAGE_SIZE = 50


@dataclass
class GridPage(Grid):
    """A page of a grid: its lines, and the totals of the whole scope."""

    page: int = 1
    pages: int = 1
    count: int = 0  # salariés in the scope


def grid_page(
    session: Session,
    employees_stmt: Select,
    start: date,
    end: date,
    team_id=None,
    page: int = 1,
    page_size: int | None = None,
    totals: Totals | None = None,
) -> GridPage:
    """One page of the grid of the scope (``employees_stmt``), by name: its salariés and
    their marks, and the totals of the whole scope. A page past the last one is the last.
    Four queries whatever the size: the count, the page's salariés, their marks, the totals
    (unless ``totals`` are given: the view keeps them between requests).
    """
    count_stmt = employees_stmt.with_only_columns(func.count(Employee.id)).order_by(None)
    count = session.scalar(count_stmt) or 0
    page_size = page_size or GRID_PAGE_SIZE
    pages = max(1, -(-count // page_size))
    page = min(max(page, 1), pages)
    people = session.scalars(
        employees_stmt.order_by(Employee.last_name, Employee.first_name, Employee.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    lines = {e.id: GridLine(e) for e in people}
    for cell in _cells(session, list(lines), start, end, team_id, light=True):
        line = lines[cell.employee_id]
        line.cells[cell.day] = cell
        line.totals.add(cell)
    if totals is None:
        totals = scope_totals(session, employees_stmt, start, end, team_id)
    return GridPage(start, end, list(lines.values()), totals, page, pages, count)


def team_members_stmt(stmt: Select, team_id: uuid.UUID, start: date, end: date) -> Select:
    """Salariés of the team, or who worked in it during the period."""
    worked = select(Attendance.employee_id).where(
        Attendance.team_id == team_id, Attendance.day.between(start, end)
    )
    return stmt.where(or_(Employee.team_id == team_id, Employee.id.in_(worked)))


# ------------------------------------------------------------------ monthly export

EXPORT_HEADER = [
    "Nom",
    "Prénom",
    "Équipe",
    "Heures travaillées",
    "Jours de présence",
    "Jours d'absence",
    *ABSENCE_MOTIFS.values(),
    "Taux d'assiduité (%)",
]


@dataclass
class MonthExport:
    """The month's lines of the scope, read before the file is written: (id, last name,
    first name, team name) of each salarié, and their totals (only those with marks)."""

    people: list[tuple]
    totals: dict[uuid.UUID, Totals]


def month_export(
    session: Session, employees_stmt: Select, start: date, end: date, team_id=None
) -> MonthExport:
    """Two queries whatever the size: the salariés with their team's name, and their totals
    (GROUP BY salarié, status, motif), never the month's marks one by one."""
    people_stmt = (
        employees_stmt.with_only_columns(
            Employee.id, Employee.last_name, Employee.first_name, Team.name
        )
        .outerjoin(Team, Team.id == Employee.team_id)
        .order_by(Employee.last_name, Employee.first_name, Employee.id)
    )
    sums = (
        select(
            Attendance.employee_id,
            Attendance.status,
            Attendance.motif,
            func.sum(Attendance.hours_worked),
            func.count(),
        )
        .where(Attendance.employee_id.in_(_scope_ids(employees_stmt)))
        .group_by(Attendance.employee_id, Attendance.status, Attendance.motif)
    )
    totals: dict[uuid.UUID, Totals] = {}
    for employee_id, status, motif, hours, n in session.execute(
        _in_period(sums, start, end, team_id)
    ):
        _add_group(totals.setdefault(employee_id, Totals()), status, motif, hours, n)
    return MonthExport(session.execute(people_stmt).tuples().all(), totals)


def export_row(last_name: str, first_name: str, team_name: str | None, t: Totals) -> list:
    """A salarié's row: the month's hours worked, days, absences by motif, rate."""
    return [
        last_name.upper(),
        first_name,
        team_name or "",
        t.hours,
        t.present_days,
        t.absent_days,
        *(t.absences.get(m, 0) for m in ABSENCE_MOTIFS),
        "" if t.rate is None else t.rate,
    ]


def export_rows(data: MonthExport) -> Iterator[list]:
    """One row per salarié, produced as the file is written."""
    for employee_id, last_name, first_name, team_name in data.people:
        totals = data.totals.get(employee_id) or Totals()
        yield export_row(last_name, first_name, team_name, totals)
