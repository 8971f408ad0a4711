"""The monthly follow-up of an annex: for each contract counting on it that month, the
salarié's PASS IAE, the contract, the hours paid and worked, the absences, an entry or a
sortie within the month — and, before it is sent, what is missing.

Hours worked and absences come from the attendance (named: only for the roles that read it).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Attendance, Employee, FundingAnnex, PassIae, Structure
from siae_app.models.attendance import ABSENCE_MOTIFS
from siae_app.services.funding import annexes, exits, indicators, paid_hours
from siae_app.services.funding.calendar import month_end, month_start


@dataclass(frozen=True)
class Worked:
    hours: Decimal = Decimal(0)
    present_days: int = 0
    absences: dict[str, int] = field(default_factory=dict)

    @property
    def absent_days(self) -> int:
        return sum(self.absences.values())


@dataclass(frozen=True)
class FollowupLine:
    paid: paid_hours.MonthLine
    pass_number: str | None
    worked: Worked | None  # None: nothing recorded this month

    @property
    def employee(self) -> Employee:
        return self.paid.employee

    def _in_month(self, days) -> date | None:
        first, last = month_start(self.paid.month), month_end(self.paid.month)
        return next((day for day in days if day and first <= day <= last), None)

    @property
    def entry_in_month(self) -> date | None:
        """The entry (or the return) of the salarié within the month."""
        return self._in_month(stay.start for stay in exits.stays(self.employee))

    @property
    def exit_in_month(self) -> date | None:
        return self._in_month(stay.end for stay in exits.stays(self.employee))


@dataclass(frozen=True)
class Followup:
    annex: FundingAnnex
    month: date
    lines: list[FollowupLine]
    missing: list[str]

    @property
    def hours_paid(self) -> Decimal:
        return sum((line.paid.hours for line in self.lines), Decimal(0))

    @property
    def hours_worked(self) -> Decimal:
        return sum((line.worked.hours for line in self.lines if line.worked), Decimal(0))


def _worked(session: Session, employee_ids: list[uuid.UUID], month: date) -> dict:
    rows = session.execute(
        select(
            Attendance.employee_id,
            Attendance.status,
            Attendance.motif,
            func.count(),
            func.sum(Attendance.hours_worked),
        )
        .where(
            Attendance.employee_id.in_(employee_ids),
            Attendance.day.between(month_start(month), month_end(month)),
        )
        .group_by(Attendance.employee_id, Attendance.status, Attendance.motif)
    ).all()
    hours: dict = defaultdict(Decimal)
    present: dict = defaultdict(int)
    absences: dict = defaultdict(dict)
    for employee_id, status, motif, days, worked in rows:
        hours[employee_id] += Decimal(worked or 0)
        if status == "absent":
            key = motif if motif in ABSENCE_MOTIFS else "injustifiee"
            absences[employee_id][key] = absences[employee_id].get(key, 0) + days
        else:
            present[employee_id] += days
    return {
        eid: Worked(hours[eid], present[eid], absences[eid])
        for eid in set(hours) | set(present) | set(absences)
    }


def _passes(session: Session, employee_ids: list[uuid.UUID], month: date) -> dict:
    """The number of a PASS IAE running some day of the month, per salarié."""
    rows = session.scalars(
        select(PassIae).where(
            PassIae.employee_id.in_(employee_ids),
            PassIae.start_date <= month_end(month),
            PassIae.end_date >= month_start(month),
        )
    )
    return {row.employee_id: row.number for row in rows}


def month_followup(
    session: Session, structure: Structure, annex: FundingAnnex, month: date
) -> Followup:
    month = month_start(month)
    own = annexes.default_kind(structure)
    every = paid_hours.lines(session, month, month, own)
    in_force = [a for a in annexes.all_annexes(session) if a.start_date <= month_end(month)]
    in_force = [a for a in in_force if a.end_date >= month]
    mine = [line for line in every if paid_hours.in_annex(line, annex)]
    ids = [line.contract.employee_id for line in mine]
    passes = _passes(session, ids, month)
    worked = _worked(session, ids, month)
    lines = sorted(
        (
            FollowupLine(
                line, passes.get(line.contract.employee_id), worked.get(line.contract.employee_id)
            )
            for line in mine
        ),
        key=lambda fl: (fl.employee.last_name.upper(), fl.employee.first_name),
    )
    return Followup(annex, month, lines, _missing(session, every, in_force, lines, month))


def _missing(session, every, in_force, lines, month) -> list[str]:
    """What the structure should fix before declaring the month, in French."""
    missing = []
    for line in every:
        if paid_hours.annex_of(line, in_force) is None:
            missing.append(
                f"{line.employee.display_name} : son contrat compte sur une annexe "
                f"{line.annex_kind}, et aucune annexe {line.annex_kind} ne couvre ce mois."
            )
    for fl in lines:
        if fl.pass_number is None:
            missing.append(f"{fl.employee.display_name} : aucun PASS IAE ne couvre ce mois.")
        if not fl.paid.hours:
            missing.append(f"{fl.employee.display_name} : aucune heure payée ce mois.")
    with_contract = {line.contract.employee_id for line in every}
    in_parcours = session.scalars(
        select(Employee)
        .options(selectinload(Employee.contracts), selectinload(Employee.previous_stays))
        .order_by(Employee.last_name)
    )
    for employee in in_parcours:
        if employee.id in with_contract:
            continue
        if indicators.present_between(employee, month, month_end(month)):
            missing.append(
                f"{employee.display_name} : en parcours sans contrat ce mois, donc sans heure "
                "payée."
            )
    return missing


# ------------------------------------------------------------------ the exported table


def header(with_attendance: bool) -> list[str]:
    head = [
        "Nom",
        "Prénom",
        "N° PASS IAE",
        "Contrat du",
        "Contrat au",
        "Heures par semaine",
        "Heures payées",
        "Heures payées selon le contrat",
        "Motif de l'écart",
    ]
    if with_attendance:
        head += ["Heures travaillées", "Jours de présence", *ABSENCE_MOTIFS.values()]
    return [*head, "Entrée dans le mois", "Sortie dans le mois"]


def rows(followup: Followup, with_attendance: bool) -> list[list]:
    """One row per contract, then the totals row."""
    out = []
    for fl in followup.lines:
        contract, employee = fl.paid.contract, fl.employee
        row = [
            employee.last_name.upper(),
            employee.first_name,
            fl.pass_number or "",
            contract.start_date,
            contract.effective_end,
            contract.weekly_hours,
            fl.paid.hours,
            fl.paid.default,
            fl.paid.entered.motif if fl.paid.entered else "",
        ]
        if with_attendance:
            worked = fl.worked or Worked()
            row += [
                worked.hours,
                worked.present_days,
                *(worked.absences.get(m, 0) for m in ABSENCE_MOTIFS),
            ]
        out.append([*row, fl.entry_in_month, fl.exit_in_month])
    count = len(followup.lines)
    total = ["Total", f"{count} contrat{'s' if count > 1 else ''}", "", None, None, None]
    total += [followup.hours_paid, None, ""]
    if with_attendance:
        total += [followup.hours_worked, None, *([None] * len(ABSENCE_MOTIFS))]
    out.append([*total, None, None])
    return out
