"""Which bilans a salarié's parcours calls for, and when, from the contract and PASS dates.

Pure: contracts, passes and the salarié in, expected bilans out. ``late`` compares them with
the bilans already opened (the alerts read it for every salarié in one query).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from siae_app.models import Contract, Employee, PassIae
from siae_app.models.reviews import REVIEW_KINDS
from siae_app.services.employees.dates import add_months
from siae_app.services.employees.pass_iae import effective_end

# A bilan opened within this many days of the expected date answers that expectation.
MATCH_DAYS = 60
# A contract shorter than this has no bilan intermédiaire of its own.
MIN_MONTHS_FOR_MIDPOINT = 3


@dataclass(frozen=True)
class Expected:
    kind: str
    due_on: date

    @property
    def label(self) -> str:
        return REVIEW_KINDS[self.kind]


def _integration(employee: Employee, contracts: list[Contract]) -> list[Expected]:
    entry = employee.entry_date or min((c.start_date for c in contracts), default=None)
    return [Expected("integration", add_months(entry, 1))] if entry else []


def _per_contract(contracts: list[Contract]) -> list[Expected]:
    """Intermédiaire at mid-contract, tripartite one month before each contract's end (the
    renewal is decided there)."""
    found = []
    for c in sorted(contracts, key=lambda c: c.start_date):
        end = c.effective_end
        if end >= add_months(c.start_date, MIN_MONTHS_FOR_MIDPOINT):
            half = timedelta(days=(end - c.start_date).days // 2)
            found.append(Expected("intermediate", c.start_date + half))
        found.append(Expected("tripartite", max(c.start_date, add_months(end, -1))))
    return found


def _prolongation(
    employee: Employee, contracts: list[Contract], passes: list[PassIae]
) -> list[Expected]:
    """Two months before the PASS ends, when the parcours is still running then (the
    latest contract reaches the last three months of the PASS and no exit came before)."""
    if not passes or not contracts:
        return []
    pass_end = max(effective_end(p) for p in passes)
    window = add_months(pass_end, -3)
    if employee.exit_date is not None and employee.exit_date < window:
        return []
    if max(c.effective_end for c in contracts) < window:
        return []
    return [Expected("prolongation", add_months(pass_end, -2))]


def _exit(employee: Employee) -> list[Expected]:
    if employee.exit_date is None:
        return []
    return [
        Expected("exit", employee.exit_date),
        Expected("followup_6m", add_months(employee.exit_date, 6)),
    ]


def expected(
    employee: Employee, contracts: list[Contract], passes: list[PassIae]
) -> list[Expected]:
    """Every bilan the parcours calls for, by due date. Contract bilans after the exit are
    not expected."""
    found = [
        *_integration(employee, contracts),
        *_per_contract(contracts),
        *_prolongation(employee, contracts, passes),
    ]
    if employee.exit_date is not None:
        found = [e for e in found if e.due_on <= employee.exit_date]
    found += _exit(employee)
    return sorted(found, key=lambda e: (e.due_on, e.kind))


def answered(item: Expected, opened: Iterable[tuple[str, date | None]]) -> bool:
    """Is there a bilan of the same type opened for (about) that date?"""
    window = timedelta(days=MATCH_DAYS)
    return any(
        kind == item.kind and day is not None and abs(day - item.due_on) <= window
        for kind, day in opened
    )


def late(
    items: list[Expected], opened: list[tuple[str, date | None]], today: date
) -> list[Expected]:
    """Expected bilans whose date has passed with no bilan opened for them."""
    return [e for e in items if e.due_on < today and not answered(e, opened)]


def first_unanswered(
    items: list[Expected], kind: str, opened: list[tuple[str, date | None]]
) -> Expected | None:
    """The earliest expected bilan of ``kind`` no bilan answers yet (the one being opened)."""
    return next((e for e in items if e.kind == kind and not answered(e, opened)), None)
