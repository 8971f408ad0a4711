"""Date arithmetic in SQL, the same on PostgreSQL and SQLite (where dates are ISO text).

Each function compiles to the dialect's own way; ``add_months`` keeps the day and falls back
to the last day of a shorter month, as services.employees.dates.add_months does.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class add_days(FunctionElement):  # noqa: N801 (reads as a SQL function)
    """``day`` + ``days`` (an integer expression, negative allowed)."""

    type = Date()
    inherit_cache = True


class add_months(FunctionElement):  # noqa: N801
    """``day`` + ``months``, the 31st becoming the last day of a shorter month."""

    type = Date()
    inherit_cache = True


class days_between(FunctionElement):  # noqa: N801
    """``stop`` - ``start`` in days."""

    type = Integer()
    inherit_cache = True


class day_of_month(FunctionElement):  # noqa: N801
    type = Integer()
    inherit_cache = True


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses]


def _sqlite_shift(amount: str, unit: str) -> str:
    return f"printf('%+d {unit}', {amount})"


@compiles(add_days, "postgresql")
def _add_days_pg(element, compiler, **kw):
    day, days = _args(element, compiler, **kw)
    return f"(CAST({day} AS DATE) + CAST({days} AS INTEGER))"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = _args(element, compiler, **kw)
    return f"date({day}, {_sqlite_shift(days, 'days')})"


@compiles(add_months, "postgresql")
def _add_months_pg(element, compiler, **kw):
    # PostgreSQL's month interval already falls back to the end of a shorter month.
    day, months = _args(element, compiler, **kw)
    return f"CAST(CAST({day} AS DATE) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # SQLite's '+N months' overflows into the next month (31 Jan + 1 month = 3 March): go to
    # the first of the month, then add the day, at most the month's last one.
    day, months = _args(element, compiler, **kw)
    first = f"date({day}, 'start of month', {_sqlite_shift(months, 'months')})"
    last = f"CAST(strftime('%d', {first}, '+1 months', '-1 days') AS INTEGER)"
    wanted = f"CAST(strftime('%d', {day}) AS INTEGER)"
    return f"date({first}, {_sqlite_shift(f'min({wanted}, {last}) - 1', 'days')})"


@compiles(days_between, "postgresql")
def _days_between_pg(element, compiler, **kw):
    start, stop = _args(element, compiler, **kw)
    return f"(CAST({stop} AS DATE) - CAST({start} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, stop = _args(element, compiler, **kw)
    return f"CAST(julianday({stop}) - julianday({start}) AS INTEGER)"


@compiles(day_of_month, "postgresql")
def _day_of_month_pg(element, compiler, **kw):
    (day,) = _args(element, compiler, **kw)
    return f"CAST(EXTRACT(DAY FROM CAST({day} AS DATE)) AS INTEGER)"


@compiles(day_of_month, "sqlite")
def _day_of_month_sqlite(element, compiler, **kw):
    (day,) = _args(element, compiler, **kw)
    return f"CAST(strftime('%d', {day}) AS INTEGER)"
