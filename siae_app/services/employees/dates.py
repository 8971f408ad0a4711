"""Date arithmetic shared by PASS and contracts (no dependency for four functions)."""

from __future__ import annotations

import calendar
from datetime import date, datetime

DAYS_PER_MONTH = 365.25 / 12
# What a person types or a spreadsheet exports: ISO, then the French ways.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> date | None:
    """The day written in one of ``DATE_FORMATS`` (spaces around ignored), else None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the 31st becomes the last day of a shorter month)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # every month has it: no calendar to read (the alerts call this a lot)
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(days: int) -> float:
    """A number of days as months (average month), for cumulated durations."""
    return days / DAYS_PER_MONTH


def months_label(months: float) -> str:
    """« 22,5 mois », the French way."""
    return f"{months:.1f}".replace(".", ",") + " mois"


def fr_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
