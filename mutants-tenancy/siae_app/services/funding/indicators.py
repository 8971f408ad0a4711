"""The figures of a year (or of any period): people served, entries, sorties and their
rates, hours paid, ETP conventionnés and consumed — the annual report's JSON keys.

Every figure is an aggregate: no name leaves this module. The queries run under the
session's tenant (one structure at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, ExitFollowup, FundingAnnex, Structure
from siae_app.services.funding import annexes, details, exits, paid_hours
from siae_app.services.funding.calendar import year_share

ETP_PLACES = Decimal("0.01")


def _employees(session: Session) -> list[Employee]:
    return list(
        session.scalars(
            select(Employee).options(
                selectinload(Employee.contracts), selectinload(Employee.previous_stays)
            )
        )
    )


def present_between(employee: Employee, start: date, end: date) -> bool:
    """In parcours on at least one day of ``start``–``end`` (in any of their stays)."""
    return any(stay.overlaps(start, end) for stay in exits.stays(employee))


@dataclass(frozen=True)
class AnnexFigures:
    """One annex over its whole period: the hours paid on its contracts up to ``today``'s
    month, and with the months to come as the running contracts give them."""

    annex: FundingAnnex
    hours_to_date: Decimal
    hours_forecast: Decimal
    budget_hours: Decimal

    @property
    def etp_consumed(self) -> Decimal:
        return _etp(self.hours_to_date, self.budget_hours, self.annex.etp_conventioned)

    @property
    def etp_forecast(self) -> Decimal:
        return _etp(self.hours_forecast, self.budget_hours, self.annex.etp_conventioned)


def _etp(hours: Decimal, budget_hours: Decimal, etp: Decimal) -> Decimal:
    """Hours as ETP over the annex's period: the budget's hours are its ETP."""
    if not budget_hours:
        return Decimal(0)
    return (hours * etp / budget_hours).quantize(ETP_PLACES, ROUND_HALF_UP)


def annex_figures(
    session: Session,
    structure: Structure,
    annex: FundingAnnex,
    today: date,
    month_lines: list[paid_hours.MonthLine] | None = None,
) -> AnnexFigures:
    """An annex's ETP consumed to date and forecast at its end. Its budget is its ETP times
    the hours of one ETP, for the share of a year its period covers. ``month_lines``: the
    lines already computed for a period that includes the annex's (else they are read)."""
    if month_lines is None:
        own = annexes.default_kind(structure)
        month_lines = paid_hours.lines(session, annex.start_date, annex.end_date, own)
    mine = [line for line in month_lines if paid_hours.in_annex(line, annex)]
    to_date = [line for line in mine if line.month <= today]
    budget = (
        annex.etp_conventioned
        * structure.hours_per_etp
        * year_share(annex.start_date, annex.end_date)
    )
    return AnnexFigures(annex, paid_hours.total(to_date), paid_hours.total(mine), budget)


def period(
    session: Session,
    structure: Structure,
    start: date,
    end: date,
    *,
    employees: list[Employee] | None = None,
    month_lines: list[paid_hours.MonthLine] | None = None,
    with_details: bool = True,
) -> dict:
    """The indicators of ``start``–``end`` (a year for the annual report), as JSON values:
    counts as integers, hours and ETP as numbers with 2 decimals, rates as fractions of the
    counted sorties (4 decimals) or null when no sortie counts. A caller that already read
    the salariés (with their contracts) or the paid hours of a period including this one
    passes them; ``with_details``: the report's breakdowns (``details``) too."""
    if employees is None:
        employees = _employees(session)
    served = [e for e in employees if present_between(e, start, end)]
    entries = [e for e in served if exits.entered_between(e, start, end)]
    counts = exits.count(employees, start, end, structure.exit_min_stay_months)
    if month_lines is None:
        month_lines = paid_hours.lines(session, start, end, annexes.default_kind(structure))
    hours = paid_hours.total([line for line in month_lines if start <= line.month <= end])
    in_period = session.scalars(
        select(FundingAnnex).where(FundingAnnex.start_date <= end, FundingAnnex.end_date >= start)
    ).all()
    etp_conventioned = sum(
        (
            a.etp_conventioned * year_share(max(a.start_date, start), min(a.end_date, end))
            for a in in_period
        ),
        Decimal(0),
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "people_served": len(served),
        "entries": len(entries),
        "exits": counts.as_dict(),
        "exits_counted": counts.counted,
        "dynamic_exit_rate": _number(counts.dynamic_rate),
        "durable_exit_rate": _number(counts.durable_rate),
        "hours_paid": _number(hours.quantize(ETP_PLACES)),
        "etp_conventioned": _number(etp_conventioned.quantize(ETP_PLACES, ROUND_HALF_UP)),
        "etp_consumed": _number(
            (hours / structure.hours_per_etp).quantize(ETP_PLACES, ROUND_HALF_UP)
        ),
        "hours_per_etp": structure.hours_per_etp,
        "exit_min_stay_months": structure.exit_min_stay_months,
        **(
            {
                "details": details.details(session, served, start, end),
                "exit_followups": exit_followups(session, employees, start, end),
            }
            if with_details
            else {}
        ),
    }


def exit_followups(session: Session, employees: list[Employee], start: date, end: date) -> dict:
    """« Situation à 6 mois » of the period's sorties (one query)."""
    known = {
        (employee_id, day): kind
        for employee_id, day, kind in session.execute(
            select(ExitFollowup.employee_id, ExitFollowup.exit_date, ExitFollowup.kind).where(
                ExitFollowup.exit_date.between(start, end)
            )
        )
    }
    return exits.followup_counts(employees, start, end, known)


def annual(session: Session, structure: Structure, year: int) -> dict:
    return {"year": year, **period(session, structure, date(year, 1, 1), date(year, 12, 31))}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
