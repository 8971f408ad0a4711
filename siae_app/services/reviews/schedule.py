"""Which bilans a salarié's parcours calls for, and when, from the contract and PASS dates.

Pure: contracts, passes and the salarié in, expected bilans out. ``late`` compares them with
the bilans already opened (the alerts read it for every salarié in one query): an expected bilan
is answered by a bilan of its type opened near its date, and replaced when a later bilan of the
parcours is validated (the parcours went on without it: asking for it now helps no one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from siae_app.models import Contract, Employee, PassIae
from siae_app.models.reviews import REVIEW_KINDS
from siae_app.models.statuses import ReviewStatus, ScheduledReviewStatus, Status
from siae_app.services.employees.dates import add_months
from siae_app.services.employees.pass_iae import effective_end, extension_window

# A bilan opened within this many days of the expected date answers that expectation.
MATCH_DAYS = 60
# A contract shorter than this has no bilan intermédiaire of its own.
MIN_MONTHS_FOR_MIDPOINT = 3


class Expected(NamedTuple):
    """A bilan the parcours calls for (a tuple: made by thousands for the alerts and the
    dashboard, it costs a third of a frozen dataclass)."""

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
    employee: Employee, contracts: list[Contract], pass_ends: list[date]
) -> list[Expected]:
    """When a prolongation may first be asked for: 12 months before the PASS ends (not before
    the entry), when the parcours is still running then (the latest contract reaches that
    day and no exit came before)."""
    if not pass_ends or not contracts:
        return []
    pass_end = max(pass_ends)
    opens = extension_window(pass_end)[0]
    if employee.entry_date is not None:
        opens = max(opens, employee.entry_date)
    if employee.exit_date is not None and employee.exit_date < opens:
        return []
    if max(c.effective_end for c in contracts) < opens:
        return []
    return [Expected("prolongation", opens)]


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
    return expected_by_pass_ends(employee, contracts, [effective_end(p) for p in passes])


def expected_by_pass_ends(
    employee: Employee, contracts: list[Contract], pass_ends: list[date]
) -> list[Expected]:
    """``expected``, given the effective end of each PASS (a reader of plain rows computed
    them); the salarié and contracts need only their dates."""
    found = [
        *_integration(employee, contracts),
        *_per_contract(contracts),
        *_prolongation(employee, contracts, pass_ends),
    ]
    if employee.exit_date is not None:
        found = [e for e in found if e.due_on <= employee.exit_date]
    found += _exit(employee)
    return sorted(found, key=lambda e: (e.due_on, e.kind))


class Opened(NamedTuple):
    """A bilan already opened: its type, its date (due, else held, else end of period), its
    status, and what the caller wants back (the ``Review`` on the schedule page)."""

    kind: str
    day: date | None
    status: str | None = None
    ref: Any = None


def _opened(entries: Iterable[tuple]) -> list[Opened]:
    """(kind, day) or (kind, day, status[, ref]) tuples, as ``Opened``."""
    return [Opened(*entry) for entry in entries]


WINDOW = timedelta(days=MATCH_DAYS)


def answering(item: Expected, opened: Iterable[tuple]) -> Opened | None:
    """The bilan of the same type opened for (about) that date, the nearest one."""
    return _answering(item, _opened(opened))


def _answering(item: Expected, opened: list[Opened]) -> Opened | None:
    # A loop rather than a list and min(): the alerts and the dashboard ask it for every
    # bilan of thousands of salariés. The first of equally near ones, as min() would.
    nearest, gap = None, WINDOW
    for o in opened:
        if o.kind == item.kind and o.day is not None:
            distance = abs(o.day - item.due_on)
            if distance < gap or (nearest is None and distance == gap):
                nearest, gap = o, distance
    return nearest


def answered(item: Expected, opened: Iterable[tuple]) -> bool:
    """Is there a bilan of the same type opened for (about) that date?"""
    return _answering(item, _opened(opened)) is not None


def replaced_by(item: Expected, opened: Iterable[tuple]) -> Opened | None:
    """The first validated bilan of the parcours dated after this one's date, of any type."""
    return _replaced_by(item, _opened(opened))


def _replaced_by(item: Expected, opened: list[Opened]) -> Opened | None:
    first = None
    for o in opened:
        validated_after = (
            o.status == ReviewStatus.VALIDATED and o.day is not None and o.day > item.due_on
        )
        if validated_after and (first is None or o.day < first.day):
            first = o
    return first


def late(items: list[Expected], opened: Iterable[tuple], today: date) -> list[Expected]:
    """Expected bilans whose date has passed with no bilan opened for them, unless a later
    bilan of the parcours is validated."""
    past = [e for e in items if e.due_on < today]
    if not past:
        return []
    opened = _opened(opened)
    if not opened:  # most salariés of a structure at a given time
        return past
    return [e for e in past if _answering(e, opened) is None and _replaced_by(e, opened) is None]


def status(item: Expected, opened: Iterable[tuple], today: date) -> tuple[Status, Opened | None]:
    """What the schedule shows for an expected bilan: the status of the bilan answering it
    (« Validé »…), else remplacé (with the validated bilan that replaces it), en retard or à
    venir. The same rule as ``late``."""
    opened = _opened(opened)
    found = _answering(item, opened)
    if found is not None:
        return ReviewStatus(found.status), found
    replacing = _replaced_by(item, opened)
    if replacing is not None:
        return ScheduledReviewStatus.REPLACED, replacing
    if item.due_on < today:
        return ScheduledReviewStatus.LATE, None
    return ScheduledReviewStatus.COMING, None


def first_unanswered(items: list[Expected], kind: str, opened: Iterable[tuple]) -> Expected | None:
    """The earliest expected bilan of ``kind`` no bilan answers yet (the one being opened)."""
    opened = _opened(opened)
    return next((e for e in items if e.kind == kind and _answering(e, opened) is None), None)
