"""The salariés a dashboard can count, read as plain rows (no ORM object): their stays, their
contracts' dates and their PASS IAE's ends.

Only the salariés with a stay that may touch the period or today are read (``touching``):
at 3,000 salariés, loading every file with its contracts and passes as objects took seconds.
The rows carry the attribute names of the models (``entry_date``, ``contracts``…), so the
rules of ``exits`` and ``schedule`` apply to them unchanged. Six queries whatever the number
of salariés; the related rows are joined on a subquery, never passed as a list of ids.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Contract,
    Employee,
    PassExtension,
    PassIae,
    PassSuspension,
    PreviousStay,
)
from siae_app.services.employees.pass_iae import effective_end_from


class ContractDates(NamedTuple):
    start_date: date
    effective_end: date


class StayRow(NamedTuple):
    entry_date: date | None
    exit_date: date | None
    exit_kind: str | None


@dataclass
class Person:
    """A salarié as the dashboard counts them: the columns of ``Employee`` it reads, their
    earlier stays and contracts in the models' order, and the effective end of each PASS."""

    id: uuid.UUID
    entry_date: date | None
    exit_date: date | None
    exit_kind: str | None
    contracts: list[ContractDates] = field(default_factory=list)
    previous_stays: list[StayRow] = field(default_factory=list)
    pass_ends: list[date] = field(default_factory=list)


def _touches(first: ColumnElement, last: ColumnElement, lo: date, hi: date) -> ColumnElement:
    return and_(or_(last.is_(None), last >= lo), or_(first.is_(None), first <= hi))


def touching(lo: date, hi: date) -> ColumnElement:
    """Salariés with a stay that may meet ``lo``–``hi``: a superset (a current stay with no
    entry date may begin with its first contract, after ``hi``); the rules sort them out."""
    earlier = (
        select(PreviousStay.id)
        .where(PreviousStay.employee_id == Employee.id)
        .where(_touches(PreviousStay.entry_date, PreviousStay.exit_date, lo, hi))
        .exists()
    )
    return or_(_touches(Employee.entry_date, Employee.exit_date, lo, hi), earlier)


def ids_touching(lo: date, hi: date) -> Select:
    return select(Employee.id).where(touching(lo, hi))


def read(session: Session, lo: date, hi: date) -> list[Person]:
    """The salariés touching ``lo``–``hi``, by name (as the lists behind the figures show)."""
    people = {
        row.id: Person(row.id, row.entry_date, row.exit_date, row.exit_kind)
        for row in session.execute(
            select(Employee.id, Employee.entry_date, Employee.exit_date, Employee.exit_kind)
            .where(touching(lo, hi))
            .order_by(Employee.last_name, Employee.first_name)
        )
    }
    ids = ids_touching(lo, hi)
    for employee_id, start, end, early in session.execute(
        select(
            Contract.employee_id, Contract.start_date, Contract.end_date, Contract.ended_early_on
        )
        .where(Contract.employee_id.in_(ids))
        .order_by(Contract.start_date)
    ):
        people[employee_id].contracts.append(ContractDates(start, early or end))
    for employee_id, *stay in session.execute(
        select(
            PreviousStay.employee_id,
            PreviousStay.entry_date,
            PreviousStay.exit_date,
            PreviousStay.exit_kind,
        )
        .where(PreviousStay.employee_id.in_(ids))
        .order_by(PreviousStay.entry_date)
    ):
        people[employee_id].previous_stays.append(StayRow(*stay))
    for employee_id, end in _pass_ends(session, ids):
        people[employee_id].pass_ends.append(end)
    return list(people.values())


def _pass_ends(session: Session, ids: Select) -> list[tuple[uuid.UUID, date]]:
    """(salarié, effective end) of each PASS, as ``pass_iae.effective_end`` computes it."""
    passes = session.execute(
        select(PassIae.id, PassIae.employee_id, PassIae.end_date, PassIae.closed_on)
        .where(PassIae.employee_id.in_(ids))
        .order_by(PassIae.start_date)
    ).all()
    pass_ids = select(PassIae.id).where(PassIae.employee_id.in_(ids))
    suspensions = defaultdict(list)
    for pass_id, start, end in session.execute(
        select(PassSuspension.pass_id, PassSuspension.start_date, PassSuspension.end_date)
        .where(PassSuspension.pass_id.in_(pass_ids))
        .order_by(PassSuspension.start_date)
    ):
        suspensions[pass_id].append((start, end))
    extensions = defaultdict(list)
    for pass_id, months in session.execute(
        select(PassExtension.pass_id, PassExtension.months)
        .where(PassExtension.pass_id.in_(pass_ids))
        .order_by(PassExtension.decided_on)
    ):
        extensions[pass_id].append(months)
    return [
        (employee_id, effective_end_from(end, suspensions[pass_id], extensions[pass_id], closed))
        for pass_id, employee_id, end, closed in passes
    ]
