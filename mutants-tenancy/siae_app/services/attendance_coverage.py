"""How much of a stretch under contract the attendance recorded in the application covers.

A document states hours worked only when the marks cover the whole stretch: a salarié
present 17 months and marked for six weeks did not work « 120 heures ». The unit is the
working week (Monday to Friday) under contract: one mark in it counts it as recorded, since a
day off or a public holiday is often left unmarked, but a week without any mark is not
recorded. Otherwise a document says from which date the marks run (``since``) or between
which dates, with how many weeks are missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models.attendance import Attendance
from siae_app.models.employees import Employee

Span = tuple[date, date]


@dataclass(frozen=True)
class ContractStretch:
    """Days under contract without interruption at the same weekly hours (a renewal at the
    same hours continues the stretch; an avenant that changes them starts a new one)."""

    start: date
    end: date
    weekly_hours: Decimal


def contract_stretches(
    employee: Employee, start: date | None = None, end: date | None = None
) -> list[ContractStretch]:
    """The salarié's contracts as stretches, cut at ``start``/``end`` and at the exit."""
    last_day = min((d for d in (end, employee.exit_date) if d is not None), default=None)
    stretches: list[ContractStretch] = []
    for c in sorted(employee.contracts, key=lambda c: c.start_date):
        first, final = c.start_date, c.effective_end
        if start is not None:
            first = max(first, start)
        if last_day is not None:
            final = min(final, last_day)
        if final < first:
            continue
        hours = Decimal(c.weekly_hours)
        previous = stretches[-1] if stretches else None
        if previous and first <= previous.end + timedelta(days=1):
            if previous.weekly_hours == hours:
                stretches[-1] = ContractStretch(previous.start, max(previous.end, final), hours)
                continue
            # An avenant that changes the hours: the earlier stretch ends the day before.
            if first <= previous.end:
                stretches[-1] = ContractStretch(
                    previous.start, first - timedelta(days=1), previous.weekly_hours
                )
                if stretches[-1].end < stretches[-1].start:
                    stretches.pop()
        stretches.append(ContractStretch(first, final, hours))
    return stretches


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def working_weeks(spans: Iterable[Span]) -> set[date]:
    """The Mondays of the weeks that have a weekday inside one of the spans."""
    weeks: set[date] = set()
    for first, last in spans:
        monday = _monday(first)
        while monday <= last:
            weekdays_end = monday + timedelta(days=4)
            if max(first, monday) <= min(last, weekdays_end):
                weeks.add(monday)
            monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Coverage:
    first: date | None  # the first mark under contract
    last: date | None
    hours: Decimal  # hours of the marks under contract
    weeks: int  # working weeks under contract
    missing_weeks: int  # of which without any mark
    since: bool  # every week from the first mark's on has a mark

    @property
    def recorded(self) -> bool:
        return self.first is not None

    @property
    def complete(self) -> bool:
        return self.recorded and self.missing_weeks == 0

    def as_dict(self) -> dict:
        """Frozen in a document's JSON (dates as ISO strings)."""
        return {
            "complete": self.complete,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "since": self.since,
            "hours": float(self.hours),
            "weeks": self.weeks,
            "missing_weeks": self.missing_weeks,
        }


def coverage(session: Session, employee_id: uuid.UUID, spans: list[Span]) -> Coverage:
    """What the marks of the salarié say about the days of ``spans`` (under contract)."""
    weeks = working_weeks(spans)
    if not spans:
        return Coverage(None, None, Decimal("0.00"), 0, 0, False)
    rows = session.execute(
        select(Attendance.day, Attendance.hours_worked).where(
            Attendance.employee_id == employee_id,
            Attendance.day.between(min(s for s, _ in spans), max(e for _, e in spans)),
        )
    ).all()
    days = [(day, hours) for day, hours in rows if any(s <= day <= e for s, e in spans)]
    if not days:
        return Coverage(None, None, Decimal("0.00"), len(weeks), len(weeks), False)
    first = min(d for d, _ in days)
    last = max(d for d, _ in days)
    missing = weeks - {_monday(d) for d, _ in days}
    return Coverage(
        first=first,
        last=last,
        hours=sum((Decimal(h or 0) for _, h in days), Decimal("0.00")),
        weeks=len(weeks),
        missing_weeks=len(missing),
        since=all(w < _monday(first) for w in missing),
    )


def of_employee(
    session: Session, employee: Employee, start: date | None = None, end: date | None = None
) -> Coverage:
    spans = [(s.start, s.end) for s in contract_stretches(employee, start, end)]
    return coverage(session, employee.id, spans)
