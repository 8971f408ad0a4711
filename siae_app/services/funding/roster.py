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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

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


@dataclass(slots=True)
class Person:
    """A salarié as the dashboard counts them: the columns of ``Employee`` it reads, their
    contracts and earlier stays in the models' order, and the effective end of each PASS."""

    id: uuid.UUID
    entry_date: date | None
    exit_date: date | None
    exit_kind: str | None
    contracts: Sequence[ContractDates] = ()
    previous_stays: Sequence[StayRow] = ()
    pass_ends: Sequence[date] = ()


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


def _by_employee(pairs: Iterable[tuple[uuid.UUID, Any]]) -> dict[uuid.UUID, list]:
    found: dict[uuid.UUID, list] = defaultdict(list)
    for employee_id, value in pairs:
        found[employee_id].append(value)
    return found


def read(session: Session, lo: date, hi: date) -> list[Person]:
    """The salariés touching ``lo``–``hi``, by name (as the lists behind the figures show).
    Few objects per salarié: at this size, every object kept adds to the garbage
    collector's work (it was a third of the time)."""
    ids = ids_touching(lo, hi)
    contracts = _by_employee(
        (employee_id, ContractDates(start, early or end))
        for employee_id, start, end, early in session.execute(
            select(
                Contract.employee_id,
                Contract.start_date,
                Contract.end_date,
                Contract.ended_early_on,
            )
            .where(Contract.employee_id.in_(ids))
            .order_by(Contract.start_date)
        )
    )
    stays = _by_employee(
        (employee_id, StayRow(*stay))
        for employee_id, *stay in session.execute(
            select(
                PreviousStay.employee_id,
                PreviousStay.entry_date,
                PreviousStay.exit_date,
                PreviousStay.exit_kind,
            )
            .where(PreviousStay.employee_id.in_(ids))
            .order_by(PreviousStay.entry_date)
        )
    )
    pass_ends = _by_employee(_pass_ends(session, ids))
    return [
        Person(
            id_,
            entry,
            exit_,
            kind,
            contracts.get(id_, ()),
            stays.get(id_, ()),
            pass_ends.get(id_, ()),
        )
        for id_, entry, exit_, kind in session.execute(
            select(Employee.id, Employee.entry_date, Employee.exit_date, Employee.exit_kind)
            .where(touching(lo, hi))
            .order_by(Employee.last_name, Employee.first_name)
        )
    ]


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
