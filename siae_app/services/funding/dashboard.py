"""The direction's dashboard: the structure today, this month and over a chosen year.

Counts come with the salariés behind them (``people``), for the pages that list them to the
roles that may read them; the dashboard itself shows numbers only. Bounded queries whatever
the number of salariés.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Attendance,
    Employee,
    FundingAnnex,
    Review,
    Structure,
)
from siae_app.services.attendance import PLANNED_MOTIFS
from siae_app.services.funding import (
    annexes,
    details,
    exits,
    figures_cache,
    indicators,
    paid_hours,
    revision,
    roster,
)
from siae_app.services.funding.calendar import month_end, month_start
from siae_app.services.reviews import schedule

SOON_DAYS = 56  # contract and PASS ends « dans les 8 semaines »
REVIEWS_AHEAD_DAYS = 30
# « Situation à 6 mois »: a salarié who could not be reached (« Injoignable ») or whose
# situation was not asked has no known situation; the shares are among the known ones.
SITUATION_KNOWN = ("durable", "transition", "positive", "other")
SITUATION_SHARES = ("durable", "transition", "positive")


@dataclass(frozen=True)
class Situations:
    """The situation six months after the year's sorties: how many are known, of how many
    sorties, and the share of each dynamic category among the known (a fraction, 4 decimals;
    None when none is known)."""

    known: int
    sorties: int
    shares: tuple[tuple[str, float | None], ...]


def situations(counts: dict[str, int]) -> Situations:
    known = sum(counts[key] for key in SITUATION_KNOWN)
    return Situations(
        known=known,
        sorties=sum(counts.values()),
        shares=tuple(
            (exits.FOLLOWUP_LABELS[key], round(counts[key] / known, 4) if known else None)
            for key in SITUATION_SHARES
        ),
    )


@dataclass
class Dashboard:
    year: int
    today: date
    figures: dict
    annexes: list[indicators.AnnexFigures]
    targets: FundingAnnex | None  # the annex whose exit targets apply (the structure's kind)
    hours_this_month: Decimal
    attendance_rate: int | None
    lifted_by_axis: list[tuple[str, int]]
    people: dict[str, list] = field(default_factory=dict)  # Employee (build), Person (_compute)
    situations: Situations | None = None

    def count(self, key: str) -> int:
        return len(self.people.get(key, []))


def _month_rate(session: Session, today: date) -> int | None:
    return _attendance_rate(session, month_start(today), month_end(today))


def _attendance_rate(session: Session, start: date, end: date) -> int | None:
    """Days present over days due this month (planned absences are not due), in %."""
    present = due = 0
    for status, motif, days in session.execute(
        select(Attendance.status, Attendance.motif, func.count())
        .where(Attendance.day.between(start, end))
        .group_by(Attendance.status, Attendance.motif)
    ):
        if status != "absent":
            present += days
            due += days
        elif motif not in PLANNED_MOTIFS:
            due += days
    return round(100 * present / due) if due else None


def _reviews(session: Session, read: Select) -> dict[uuid.UUID, list]:
    """The bilans opened for the salariés ``read`` selects (their ids), by salarié."""
    opened: dict[uuid.UUID, list] = defaultdict(list)
    for employee_id, kind, day, status in session.execute(
        select(
            Review.employee_id,
            Review.kind,
            func.coalesce(Review.due_on, Review.held_on, Review.period_end),
            Review.status,
        ).where(Review.employee_id.in_(read))
    ):
        opened[employee_id].append((kind, day, status))
    return opened


def _ends_soon(person: roster.Person, today: date) -> bool:
    limit = today + timedelta(days=SOON_DAYS)
    ends = [c.effective_end for c in person.contracts if c.effective_end >= today]
    ends += person.pass_ends
    return any(today <= end <= limit for end in ends)


def _window(start: date, end: date, today: date) -> tuple[date, date]:
    """The days whose salariés the dashboard may count: the year and today."""
    return min(start, today), max(end, today)


def _compute(
    session: Session, structure: Structure, year: int, today: date, marks: bool = True
) -> Dashboard:
    """The dashboard with ``roster.Person`` rows as its people (``build`` swaps in the
    salariés; ``summary`` needs only their number). ``marks=False``: without the attendance
    rate, the only figure that reads attendance marks (``summary`` reads it apart)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    employees = roster.read(session, *_window(start, end, today))
    in_year = [
        a for a in annexes.all_annexes(session) if a.start_date <= end and a.end_date >= start
    ]
    # One reading of the paid hours for the year, its annexes and this month.
    first = min([start, month_start(today), *(a.start_date for a in in_year)])
    last = max([end, month_end(today), *(a.end_date for a in in_year)])
    own = annexes.default_kind(structure)
    month_lines = paid_hours.month_totals(session, first, last, own)
    figures = indicators.period(
        session,
        structure,
        start,
        end,
        employees=employees,
        month_lines=month_lines,
        with_details=False,
    )
    people = _people(employees, start, end, today, structure.exit_min_stay_months)
    present_today = people["in_parcours"]
    people["reviews_late"], people["reviews_coming"] = _reviews_due(
        session, present_today, roster.ids_touching(today, today), today
    )
    this_month = [line for line in month_lines if line.month == month_start(today)]
    return Dashboard(
        year=year,
        today=today,
        figures=figures,
        annexes=[
            indicators.annex_figures(session, structure, a, today, month_lines) for a in in_year
        ],
        targets=next((a for a in in_year if a.kind == own), None),
        hours_this_month=paid_hours.total(this_month).quantize(Decimal("0.01"), ROUND_HALF_UP),
        attendance_rate=_month_rate(session, today) if marks else None,
        lifted_by_axis=details.lifted_by_axis(session, start, end),
        people=people,
        situations=situations(indicators.exit_followups(session, employees, start, end)),
    )


def _people(employees: list[roster.Person], start: date, end: date, today: date, min_stay: int):
    """The salariés behind each figure of the year and of today, in the order of
    ``employees``; each one's stays are worked out once."""
    keys = ("in_parcours", "served", "entries", "ending_soon")
    people: dict[str, list] = {key: [] for key in keys}
    people.update({f"exits_{category}": [] for category in exits.CATEGORY_LABELS})
    people["exits_counted"] = []
    for person in employees:
        stays = exits.stays(person)
        if any(stay.overlaps(today, today) for stay in stays):
            people["in_parcours"].append(person)
            if _ends_soon(person, today):
                people["ending_soon"].append(person)
        if any(stay.overlaps(start, end) for stay in stays):
            people["served"].append(person)
        if exits.began_in(stays, start, end):
            people["entries"].append(person)
        categories = exits.categories_of(exits.ended_in(stays, start, end), min_stay)
        for category in categories:
            people[f"exits_{category}"].append(person)
        if categories.intersection(exits.COUNTED):
            people["exits_counted"].append(person)
    return people


def build(session: Session, structure: Structure, year: int, today: date) -> Dashboard:
    """The dashboard with the salariés behind each figure (the lists of ``people``), in the
    order of their names."""
    board = _compute(session, structure, year, today)
    start, end = date(year, 1, 1), date(year, 12, 31)
    found = session.scalars(select(Employee).where(roster.touching(*_window(start, end, today))))
    by_id = {employee.id: employee for employee in found}
    # A salarié deleted between the two readings (another transaction) is left out.
    board.people = {
        key: [by_id[p.id] for p in people if p.id in by_id] for key, people in board.people.items()
    }
    return board


def _reviews_due(session: Session, present: list[roster.Person], read: Select, today: date):
    """The salariés with a bilan late, and those with one due in the next 30 days.
    ``read``: a superset of ``present``'s ids, as a subquery."""
    opened = _reviews(session, read)
    late, coming = [], []
    for person in present:
        reviews = opened[person.id]
        expected = schedule.expected_by_pass_ends(person, person.contracts, person.pass_ends)
        if schedule.late(expected, reviews, today):
            late.append(person)
        soon = [
            item
            for item in expected
            if today <= item.due_on <= today + timedelta(days=REVIEWS_AHEAD_DAYS)
            and not schedule.answered(item, reviews)
        ]
        if soon:
            coming.append(person)
    return late, coming


@dataclass(frozen=True)
class AnnexLine:
    label: str
    etp_conventioned: Decimal
    etp_consumed: Decimal
    etp_forecast: Decimal


@dataclass(frozen=True)
class Summary:
    """What the dashboard page shows: numbers only (no salarié, no database object), so that
    it can be kept in the figures cache and shared between workers."""

    year: int
    today: date
    figures: dict
    annexes: tuple[AnnexLine, ...]
    target_dynamic_rate: Decimal | None
    target_durable_rate: Decimal | None
    hours_this_month: Decimal
    attendance_rate: int | None
    lifted_by_axis: tuple[tuple[str, int], ...]
    counts: dict[str, int]
    situations: Situations | None = None  # None: kept in the cache before it was shown

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)


def summarize(board: Dashboard) -> Summary:
    targets = board.targets
    return Summary(
        year=board.year,
        today=board.today,
        figures=board.figures,
        annexes=tuple(
            AnnexLine(a.annex.label, a.annex.etp_conventioned, a.etp_consumed, a.etp_forecast)
            for a in board.annexes
        ),
        target_dynamic_rate=targets.target_dynamic_rate if targets else None,
        target_durable_rate=targets.target_durable_rate if targets else None,
        hours_this_month=board.hours_this_month,
        attendance_rate=board.attendance_rate,
        lifted_by_axis=tuple(board.lifted_by_axis),
        counts={key: len(people) for key, people in board.people.items()},
        situations=board.situations,
    )


def summary(session: Session, structure: Structure, year: int, today: date) -> Summary:
    """The dashboard's numbers, from the figures cache when the structure's data has not
    changed since they were computed (same revision, same day), else computed and kept.

    Kept apart: the month's attendance rate, under the figures' revision (every mark moves
    it: one query), and the rest under the dashboard's one, which only the tables it reads
    move: the day's roll calls, actions and entretiens leave it as it is (computing it reads
    every salarié's contracts, PASS and stays).

    A transaction that changed the data itself (not committed yet) neither reads nor fills
    the cache: its revision number is not the one its figures would be stored under.
    """
    board = figures_cache.kept(
        session,
        structure.id,
        f"{year}:{today.isoformat()}",
        lambda: summarize(_compute(session, structure, year, today, marks=False)),
        kind=revision.DASHBOARD,
    )
    (rate,) = figures_cache.kept(
        session,
        structure.id,
        f"presences:{today.isoformat()}",
        lambda: (_month_rate(session, today),),  # a tuple: None is a rate too (no mark yet)
    )
    return replace(board, attendance_rate=rate)


PEOPLE_TITLES = {
    "in_parcours": "En parcours aujourd'hui",
    "served": "Personnes accompagnées dans l'année",
    "entries": "Entrées de l'année",
    "exits_counted": "Sorties comptabilisées de l'année",
    "ending_soon": "Fin de contrat ou de PASS IAE dans les 8 semaines",
    "reviews_late": "Bilans en retard",
    "reviews_coming": "Bilans à tenir dans les 30 jours",
    **{
        f"exits_{key}": f"Sorties : {label.lower()}" for key, label in exits.CATEGORY_LABELS.items()
    },
}


def exit_rows(dashboard: Dashboard | Summary) -> list[tuple[str, str, int]]:
    """(key, label, count) of each exit category, for the chart and its table: sorties, as
    the rates count them (a salarié who left twice in the year counts twice)."""
    counts = dashboard.figures["exits"]
    return [(key, label, counts[key]) for key, label in exits.CATEGORY_LABELS.items()]
