"""The ends the list of salariés shows and filters on, computed in SQL for a set of salariés.

- contract: the effective end (``ended_early_on`` else ``end_date``) of the contract running
  today, else of the last one (latest start, then latest end);
- PASS: the latest PASS's end once its suspensions push it back by their length and its
  prolongations add their months, one after the other in the order of their decision
  (pass_iae.end_from, extensions as the file orders them);
- whether a suspension of that PASS covers today (its status).

Applying prolongations one after the other can lose days (31 August + 6 months is
28 February, + 6 months is 28 August, not the 31st): the day kept is the smallest of the days
each partial sum of months gives, which SQL reads with a running sum.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.sql import Subquery

from siae_app.models import Contract, PassExtension, PassIae, PassSuspension
from siae_app.services.sql_dates import add_days, add_months, day_of_month, days_between


def _contract_ends(ids: Select, today: date) -> Subquery:
    end = func.coalesce(Contract.ended_early_on, Contract.end_date)
    running = and_(Contract.start_date <= today, end >= today)
    rank = func.row_number().over(
        partition_by=Contract.employee_id,
        order_by=(case((running, 1), else_=0).desc(), Contract.start_date.desc(), end.desc()),
    )
    ranked = (
        select(Contract.employee_id, end.label("end"), rank.label("rank"))
        .where(Contract.employee_id.in_(ids))
        .subquery()
    )
    return select(ranked.c.employee_id, ranked.c.end).where(ranked.c.rank == 1).subquery()


def _passes_of(ids: Select) -> Select:
    return select(PassIae.id).where(PassIae.employee_id.in_(ids))


def _latest_passes(ids: Select, today: date) -> Subquery:
    """The latest PASS of each salarié, its end pushed back by its suspensions, and whether
    one covers today. Suspensions are grouped in a subquery, then joined: a correlated
    subquery would run once per PASS, and an outer join to the table itself would get the
    tenant filter in its WHERE, dropping the PASS without suspension."""
    rank = func.row_number().over(
        partition_by=PassIae.employee_id,
        order_by=(PassIae.start_date.desc(), PassIae.id.desc()),
    )
    ranked = (
        select(PassIae.id, PassIae.employee_id, PassIae.end_date, rank.label("rank"))
        .where(PassIae.employee_id.in_(ids))
        .subquery()
    )
    s = PassSuspension
    covers_today = and_(s.start_date <= today, s.end_date >= today)
    suspensions = (
        select(
            s.pass_id,
            func.sum(days_between(s.start_date, s.end_date) + 1).label("days"),
            func.max(case((covers_today, 1), else_=0)).label("today"),
        )
        .where(s.pass_id.in_(_passes_of(ids)))
        .group_by(s.pass_id)
        .subquery()
    )
    return (
        select(
            ranked.c.id,
            ranked.c.employee_id,
            add_days(ranked.c.end_date, func.coalesce(suspensions.c.days, 0)).label("pushed"),
            func.coalesce(suspensions.c.today, 0).label("suspended"),
        )
        .select_from(ranked.outerjoin(suspensions, suspensions.c.pass_id == ranked.c.id))
        .where(ranked.c.rank == 1)
        .subquery()
    )


def ends(ids: Select, today: date) -> Subquery:
    """(employee_id, contract_end, pass_end, pass_suspended) for the salariés of ``ids`` (a
    select of Employee.id): one row each, None where there is no contract or no PASS."""
    ids = select(ids.cte("listed").c[0])  # the salariés read once, used four times
    contracts = _contract_ends(ids, today)
    passes = _latest_passes(ids, today)
    # Months added so far, decision after decision.
    so_far = func.sum(PassExtension.months).over(
        partition_by=PassExtension.pass_id,
        order_by=(PassExtension.decided_on, PassExtension.id),
    )
    steps = (
        select(PassExtension.pass_id, so_far.label("months"))
        .where(PassExtension.pass_id.in_(_passes_of(ids)))
        .subquery()
    )
    total = func.max(steps.c.months)
    smallest_day = func.min(day_of_month(add_months(passes.c.pushed, steps.c.months)))
    prolonged = add_months(passes.c.pushed, total)
    pass_end = case(
        (total.is_(None), passes.c.pushed),
        else_=add_days(prolonged, smallest_day - day_of_month(prolonged)),
    )
    pass_ends = (
        select(
            passes.c.employee_id,
            pass_end.label("end"),
            (passes.c.suspended == 1).label("suspended"),
        )
        .select_from(passes.outerjoin(steps, steps.c.pass_id == passes.c.id))
        .group_by(passes.c.id, passes.c.employee_id, passes.c.pushed, passes.c.suspended)
        .subquery()
    )
    base = ids.subquery()
    return (
        select(
            base.c[0].label("employee_id"),
            contracts.c.end.label("contract_end"),
            pass_ends.c.end.label("pass_end"),
            func.coalesce(pass_ends.c.suspended, False).label("pass_suspended"),
        )
        .select_from(
            base.outerjoin(contracts, contracts.c.employee_id == base.c[0]).outerjoin(
                pass_ends, pass_ends.c.employee_id == base.c[0]
            )
        )
        .subquery()
    )
