"""Months and working days, as the paid hours and the ETP count them."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


def month_start(day: date) -> date:
    return day.replace(day=1)


@lru_cache(maxsize=4096)
def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months(start: date, end: date) -> Iterator[date]:
    """The first day of each month from ``start``'s month to ``end``'s, both included."""
    cursor = month_start(start)
    while cursor <= end:
        yield cursor
        cursor = month_end(cursor) + timedelta(days=1)


def weekdays(start: date, end: date) -> int:
    """Monday-to-Friday days from ``start`` to ``end`` included (0 when end < start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    whole_weeks, rest = divmod(days, 7)
    count = whole_weeks * 5
    first = start.weekday()
    count += sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
    return count


def monthly_hours(weekly_hours: Decimal) -> Decimal:
    """The hours of a whole month for a weekly duration: weekly × 52 / 12 (35 h → 151,67 h),
    as a payslip mensualises them."""
    return weekly_hours * WEEKS_PER_YEAR / MONTHS_PER_YEAR


def year_share(start: date, end: date) -> Decimal:
    """How many years the period ``start``–``end`` (included) covers, each calendar year
    counted by its own length: a whole calendar year is exactly 1."""
    total = Decimal(0)
    for year in range(start.year, end.year + 1):
        first = max(start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        if last >= first:
            length = 366 if calendar.isleap(year) else 365
            total += Decimal((last - first).days + 1) / Decimal(length)
    return total
