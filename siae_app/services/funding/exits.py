"""Which sorties count, and in which category of the State's classification.

A sortie counts in the exit rates only after a minimal stay in the structure (a structure
setting, 3 months by default); below it, it is shown apart as « non comptabilisée ». The
categories follow the salarié file's classification: emploi durable, emploi de transition,
sortie positive (the three « sorties dynamiques ») and autres sorties. Each sortie belongs to
the year (the period) of its exit date.
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


def category(employee: Employee, min_stay_months: int) -> str | None:
    """The report's category of the salarié's sortie (None: no sortie recorded)."""
    if employee.exit_date is None or employee.exit_kind not in CATEGORIES:
        return None
    start = stay_start(employee)
    if start is None or employee.exit_date < add_months(start, min_stay_months):
        return NOT_COUNTED
    return CATEGORIES[employee.exit_kind]


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
    """The salariés whose sortie is dated in ``start``–``end``."""
    return [e for e in employees if e.exit_date is not None and start <= e.exit_date <= end]


def count(employees, min_stay_months: int) -> ExitCounts:
    tally = dict.fromkeys(CATEGORY_LABELS, 0)
    for employee in employees:
        found = category(employee, min_stay_months)
        if found is not None:
            tally[found] += 1
    return ExitCounts(**tally)
