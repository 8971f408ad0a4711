"""The hours paid on each contract, month by month.

A contract gives its month's hours by default: its weekly hours mensualised (× 52 / 12), in
proportion of the month's working days (Monday to Friday) it covers — an entry on the 15th
pays the second half of the month. Where the payslip differs (an unpaid absence, overtime)
the structure enters the month's hours with a motif; entering the default again removes the
entry. These hours are the ones the aide au poste is paid on, distinct from the hours worked
that the attendance records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Contract, Employee, FundingAnnex, Membership, PaidHours
from siae_app.services import ServiceError, checked_text, history
from siae_app.services.funding.calendar import (
    month_end,
    month_start,
    monthly_hours,
    months,
    weekdays,
)

CENT = Decimal("0.01")
# More than 48 h a week every week of a month is not a month anyone is paid for.
MAX_MONTH_HOURS = Decimal(250)


def covered(contract: Contract, month: date) -> tuple[date, date] | None:
    """The days of ``month`` the contract runs (its early end included), or None."""
    first = max(contract.start_date, month_start(month))
    last = min(contract.effective_end, month_end(month))
    return (first, last) if last >= first else None


@lru_cache(maxsize=256)
def _month_weekdays(month: date) -> int:
    return weekdays(month_start(month), month_end(month))


@lru_cache(maxsize=256)
def _whole_month(weekly_hours: Decimal) -> Decimal:
    return monthly_hours(weekly_hours).quantize(CENT, ROUND_HALF_UP)


def default_hours(contract: Contract, month: date) -> Decimal:
    """What the contract pays in ``month`` when nothing else was entered."""
    days = covered(contract, month)
    if days is None:
        return Decimal(0)
    return _days_hours(contract.weekly_hours, *days)


@lru_cache(maxsize=4096)
def _days_hours(weekly_hours: Decimal, first: date, last: date) -> Decimal:
    """The hours of ``first``–``last``, days of one month (many contracts share an entry or
    an end date: the dashboard adds up thousands of them)."""
    month = month_start(first)
    if (first, last) == (month, month_end(month)):
        return _whole_month(weekly_hours)
    share = Decimal(weekdays(first, last)) / Decimal(_month_weekdays(month))
    return (monthly_hours(weekly_hours) * share).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthLine:
    """One contract in one month: the default, what was entered (if anything), the result."""

    contract: Contract
    month: date
    default: Decimal
    entered: PaidHours | None
    annex_kind: str

    @property
    def hours(self) -> Decimal:
        return self.entered.hours if self.entered is not None else self.default

    @property
    def employee(self) -> Employee:
        return self.contract.employee


def _running(start: date, end: date) -> ColumnElement[bool]:
    return (Contract.start_date <= end) & (
        ((Contract.ended_early_on.is_(None)) & (Contract.end_date >= start))
        | (Contract.ended_early_on >= start)
    )


def contracts_in(start: date, end: date) -> Select:
    """The contracts running at some day of ``start``–``end``."""
    return select(Contract).where(_running(start, end))


def lines(
    session: Session,
    start: date,
    end: date,
    default_kind: str,
    stmt: Select | None = None,
    *,
    load_employees: bool = True,
) -> list[MonthLine]:
    """Every contract of ``stmt`` (default: all the structure's) for every month from
    ``start``'s to ``end``'s that it covers; a contract without an annex kind counts on
    ``default_kind`` (the structure's). Two queries whatever the number of contracts."""
    first, last = month_start(start), month_end(end)
    if stmt is None:
        stmt = contracts_in(first, last)
        if load_employees:  # else the caller has them in the session already
            # With their earlier stays: the follow-up shows a return's entry and sortie.
            stmt = stmt.options(
                selectinload(Contract.employee).selectinload(Employee.previous_stays)
            )
    contracts = session.scalars(stmt).all()
    entered = {
        (row.contract_id, row.month): row
        for row in session.scalars(
            select(PaidHours).where(
                PaidHours.contract_id.in_([c.id for c in contracts]),
                PaidHours.month.between(first, last),
            )
        )
    }
    result = []
    for contract in contracts:
        c_start, c_end = contract.start_date, contract.effective_end
        kind = contract.annex_kind or default_kind
        whole = _whole_month(contract.weekly_hours)
        for month in months(max(first, c_start), min(last, c_end)):
            if c_start <= month and month_end(month) <= c_end:
                default = whole  # the usual case: the contract runs the whole month
            elif covered(contract, month) is None:
                continue
            else:
                default = default_hours(contract, month)
            result.append(
                MonthLine(contract, month, default, entered.get((contract.id, month)), kind)
            )
    return result


class _ContractRow(NamedTuple):
    id: uuid.UUID
    start_date: date
    effective_end: date
    weekly_hours: Decimal
    annex_kind: str  # the structure's kind when the contract has none


class MonthTotal(NamedTuple):
    """The hours paid in one month on the contracts of one annex kind (read as a
    ``MonthLine``: ``total``, ``in_annex``)."""

    month: date
    annex_kind: str
    hours: Decimal


def _index(month: date) -> int:
    """Months counted from year 0, so that a span of months is a range of integers."""
    return month.year * 12 + month.month - 1


def _month(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def _default(contract: _ContractRow, month: date) -> Decimal:
    """``default_hours``, the whole month's hours found without counting days."""
    if contract.start_date <= month and month_end(month) <= contract.effective_end:
        return _whole_month(contract.weekly_hours)
    return default_hours(contract, month)


def month_totals(session: Session, start: date, end: date, default_kind: str) -> list[MonthTotal]:
    """``lines`` added up by month and annex kind, from plain rows: the same hours, without an
    object per contract or per line (every month of the span, 0 when no contract runs). Two
    queries whatever the number of contracts."""
    first, last = month_start(start), month_end(end)
    base = _index(first)
    running = _running(first, last)
    contracts = {
        id_: _ContractRow(id_, start_date, early or end_date, weekly, kind or default_kind)
        for id_, start_date, end_date, early, weekly, kind in session.execute(
            select(
                Contract.id,
                Contract.start_date,
                Contract.end_date,
                Contract.ended_early_on,
                Contract.weekly_hours,
                Contract.annex_kind,
            ).where(running)
        )
    }
    span = _index(last) - base + 1
    sums: dict[str, list[Decimal]] = {}
    reach: dict[uuid.UUID, tuple[int, int]] = {}  # the months (indexes) each contract pays
    for contract in contracts.values():
        lo, hi = max(first, contract.start_date), min(last, contract.effective_end)
        if hi < lo:
            continue
        a, b = _index(lo) - base, _index(hi) - base
        reach[contract.id] = (a, b)
        row = sums.setdefault(contract.annex_kind, [Decimal(0)] * span)
        whole = _whole_month(contract.weekly_hours)
        for i in range(a, b + 1):
            row[i] += whole
        # Only its first and last months may be partial.
        for i, month in {(a, month_start(lo)), (b, month_start(hi))}:
            row[i] += _default(contract, month) - whole
    for contract_id, month, hours in session.execute(
        select(PaidHours.contract_id, PaidHours.month, PaidHours.hours).where(
            PaidHours.contract_id.in_(select(Contract.id).where(running)),
            PaidHours.month.between(first, last),
        )
    ):
        a, b = reach.get(contract_id, (0, -1))
        i = _index(month) - base
        if a <= i <= b and month.day == 1:  # else a month the contract no longer pays
            contract = contracts[contract_id]
            sums[contract.annex_kind][i] += hours - _default(contract, month)
    return [
        MonthTotal(_month(base + i), kind, hours)
        for kind, row in sums.items()
        for i, hours in enumerate(row)
    ]


def total(month_lines: list[MonthLine]) -> Decimal:
    return sum((line.hours for line in month_lines), Decimal(0))


def in_annex(line: MonthLine, annex: FundingAnnex) -> bool:
    """Does the line's month count against ``annex`` (its kind, a month of its period)?"""
    return (
        line.annex_kind == annex.kind
        and month_start(annex.start_date) <= line.month <= annex.end_date
    )


def annex_of(line: MonthLine, annexes: list[FundingAnnex]) -> FundingAnnex | None:
    """The annex a line's hours count against, None when no annex of its kind covers it."""
    return next((annex for annex in annexes if in_annex(line, annex)), None)


def parse_hours(text: str | None) -> Decimal:
    """« 151,67 » or « 151.67 » as hours; a French refusal otherwise."""
    raw = (text or "").strip().replace(",", ".").replace(" ", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ServiceError(
            "Indiquez un nombre d'heures (par exemple 151,67).", field="hours"
        ) from None
    if not value.is_finite() or value < 0:
        raise ServiceError("Le nombre d'heures ne peut pas être négatif.", field="hours")
    if value > MAX_MONTH_HOURS:
        raise ServiceError(
            f"{MAX_MONTH_HOURS} heures payées dans un mois au maximum.", field="hours"
        )
    return value.quantize(CENT, ROUND_HALF_UP)


def enter(
    session: Session,
    by: Membership,
    contract: Contract,
    month: date,
    hours: Decimal,
    motif: str | None,
    default_kind: str,
) -> MonthLine:
    """Enter the hours paid on ``contract`` in ``month``. The default needs no motif (and
    removes what was entered); any other figure needs one."""
    month = month_start(month)
    kind = contract.annex_kind or default_kind
    if covered(contract, month) is None:
        raise ServiceError("Ce contrat ne court pas pendant ce mois.", field="hours")
    default = default_hours(contract, month)
    row = session.scalar(
        select(PaidHours).where(PaidHours.contract_id == contract.id, PaidHours.month == month)
    )
    old = row.hours if row is not None else default
    old_motif = row.motif if row is not None else None
    if hours == default:
        if row is not None:
            session.delete(row)
            history.record(
                session, by, "paid_hours", row, history.compare({"hours": old}, {"hours": hours})
            )
            session.flush()
        return MonthLine(contract, month, default, None, kind)
    motif = checked_text(
        motif,
        "motif",
        missing="Indiquez pourquoi les heures payées diffèrent du contrat "
        "(absence non rémunérée, heures supplémentaires…).",
        max_len=300,
    )
    if row is None:
        row = PaidHours(
            structure_id=contract.structure_id,
            employee_id=contract.employee_id,
            contract_id=contract.id,
            month=month,
            hours=hours,
        )
        session.add(row)
    row.hours, row.motif, row.by_id = hours, motif, by.id
    session.flush()
    history.record(
        session,
        by,
        "paid_hours",
        row,
        history.compare({"hours": old, "motif": old_motif}, {"hours": hours, "motif": motif}),
    )
    session.flush()
    return MonthLine(contract, month, default, row, kind)
