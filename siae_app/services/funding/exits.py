"""Which sorties count, and in which category of the State's classification.

A sortie counts in the exit rates only after a minimal stay in the structure (a structure
setting, 3 months by default); below it, it is shown apart as « non comptabilisée ». The
categories follow the salarié file's classification: emploi durable, emploi de transition,
sortie positive (the three « sorties dynamiques ») and autres sorties. Each sortie belongs to
the year (the period) of its exit date.

A salarié who left and came back has several stays (``stays``): the earlier ones as recorded
at the return (``PreviousStay``), then the current one. Each stay's sortie counts on its own,
its minimal stay measured from that stay's entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from siae_app.models import Employee
from siae_app.services.employees.dates import add_months

# The salarié file's exit kinds → the report's categories (the JSON keys).
CATEGORIES = {
    "emploi_durable": "durable",
    "emploi_transition": "transition",
    "sortie_positive": "positive",
    "autre": "other",
}
NOT_COUNTED = "not_counted"
DYNAMIC = ("durable", "transition", "positive")
COUNTED = (*DYNAMIC, "other")
CATEGORY_LABELS = {
    "durable": "Emploi durable",
    "transition": "Emploi de transition",
    "positive": "Sortie positive",
    "other": "Autres sorties",
    NOT_COUNTED: "Non comptabilisées (séjour trop court)",
}
RATE_PLACES = Decimal("0.0001")


def stay_start(employee: Employee) -> date | None:
    """When the salarié's parcours began: the entry date, else the first contract's start."""
    if employee.entry_date is not None:
        return employee.entry_date
    starts = [c.start_date for c in employee.contracts]
    return min(starts) if starts else None


@dataclass(frozen=True)
class Stay:
    """One parcours in the structure: from its entry to its sortie (None: still in it)."""

    start: date | None
    end: date | None
    exit_kind: str | None

    def overlaps(self, first: date, last: date) -> bool:
        return (
            self.start is not None
            and self.start <= last
            and (self.end is None or self.end >= first)
        )

    def category(self, min_stay_months: int) -> str | None:
        """The report's category of this stay's sortie (None: no sortie recorded)."""
        if self.end is None or self.exit_kind not in CATEGORIES:
            return None
        if self.start is None or self.end < add_months(self.start, min_stay_months):
            return NOT_COUNTED
        return CATEGORIES[self.exit_kind]


def stays(employee: Employee) -> list[Stay]:
    """The salarié's stays, oldest first: the earlier ones, then the current one."""
    earlier = [Stay(p.entry_date, p.exit_date, p.exit_kind) for p in employee.previous_stays]
    return [*earlier, Stay(stay_start(employee), employee.exit_date, employee.exit_kind)]


def category(employee: Employee, min_stay_months: int) -> str | None:
    """The report's category of the salarié's latest sortie (None: no sortie recorded)."""
    return stays(employee)[-1].category(min_stay_months)


def ended_in(found: list[Stay], start: date, end: date) -> list[Stay]:
    """The stays among ``found`` whose sortie is dated in ``start``–``end``."""
    return [s for s in found if s.end is not None and start <= s.end <= end]


def began_in(found: list[Stay], start: date, end: date) -> bool:
    """At least one stay of ``found`` began in ``start``–``end``."""
    return any(s.start is not None and start <= s.start <= end for s in found)


def categories_of(sorties: list[Stay], min_stay_months: int) -> set:
    return {s.category(min_stay_months) for s in sorties} - {None}


def exits_in(employee: Employee, start: date, end: date) -> list[Stay]:
    """The stays of the salarié whose sortie is dated in ``start``–``end``."""
    return ended_in(stays(employee), start, end)


def categories_in(employee: Employee, start: date, end: date, min_stay_months: int) -> set:
    """The categories of the salarié's sorties dated in ``start``–``end``."""
    return categories_of(exits_in(employee, start, end), min_stay_months)


def entered_between(employee: Employee, start: date, end: date) -> bool:
    """At least one of the salarié's stays began in ``start``–``end`` (a return is an entry)."""
    return began_in(stays(employee), start, end)


@dataclass(frozen=True)
class ExitCounts:
    durable: int = 0
    transition: int = 0
    positive: int = 0
    other: int = 0
    not_counted: int = 0

    @property
    def counted(self) -> int:
        return self.durable + self.transition + self.positive + self.other

    @property
    def dynamic(self) -> int:
        return self.durable + self.transition + self.positive

    def rate(self, part: int) -> Decimal | None:
        """``part`` as a fraction of the counted sorties (None when none counted)."""
        if not self.counted:
            return None
        return (Decimal(part) / Decimal(self.counted)).quantize(RATE_PLACES, ROUND_HALF_UP)

    @property
    def dynamic_rate(self) -> Decimal | None:
        return self.rate(self.dynamic)

    @property
    def durable_rate(self) -> Decimal | None:
        return self.rate(self.durable)

    def as_dict(self) -> dict[str, int]:
        return {
            "durable": self.durable,
            "transition": self.transition,
            "positive": self.positive,
            "other": self.other,
            "not_counted": self.not_counted,
        }


def exits_between(employees, start: date, end: date) -> list[Employee]:
    """The salariés with a sortie dated in ``start``–``end``."""
    return [e for e in employees if exits_in(e, start, end)]


def count(employees, start: date, end: date, min_stay_months: int) -> ExitCounts:
    """The sorties dated in ``start``–``end`` by category: each sortie once (a salarié who
    left twice in the period counts twice)."""
    tally = dict.fromkeys(CATEGORY_LABELS, 0)
    for employee in employees:
        for stay in exits_in(employee, start, end):
            found = stay.category(min_stay_months)
            if found is not None:
                tally[found] += 1
    return ExitCounts(**tally)


# « Situation à 6 mois » of the sorties of a period (the JSON keys): the same categories, then
# « Injoignable » and the situations not recorded (yet).
FOLLOWUP_CATEGORIES = {**dict(CATEGORIES), "injoignable": "unreachable"}
FOLLOWUP_LABELS = {
    "durable": "Emploi durable",
    "transition": "Emploi de transition",
    "positive": "Sortie positive",
    "other": "Autre situation",
    "unreachable": "Injoignable",
    "unknown": "Non connue",
}


def followup_counts(employees, start: date, end: date, known: dict) -> dict[str, int]:
    """The situation six months after each sortie dated in ``start``–``end`` (every sortie,
    counted in the rates or not), by category. ``known``: (employee id, exit date) → the
    recorded situation's kind."""
    tally = dict.fromkeys(FOLLOWUP_LABELS, 0)
    for employee in employees:
        for stay in exits_in(employee, start, end):
            kind = known.get((employee.id, stay.end))
            tally[FOLLOWUP_CATEGORIES.get(kind, "unknown")] += 1
    return tally
