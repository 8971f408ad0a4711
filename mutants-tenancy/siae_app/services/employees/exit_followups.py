"""« Situation à 6 mois »: where a salarié stood six months after a sortie.

Funders ask for it for every sortie: one record per sortie (a salarié who left twice has one
per stay, found by the exit date), in the sorties' classification (with its sub-motif) or
« Injoignable ». The CIP is reminded of it from M+5 (services/alerts.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import Employee, ExitFollowup, Membership
from siae_app.models.employees import EXIT_REASONS, FOLLOWUP_KINDS, FOLLOWUP_UNREACHABLE
from siae_app.services import ServiceError, history
from siae_app.services.employees.dates import add_months, fr_date

FOLLOWUP_MONTHS = 6
FOLLOWUP_FIELDS = ("exit_date", "checked_on", "kind", "reason", "comment")
ENTITY = "exit_followup"


def due_on(exit_date: date) -> date:
    """The day the situation is to be asked: six months after the sortie."""
    return add_months(exit_date, FOLLOWUP_MONTHS)


def exit_dates(employee: Employee) -> list[date]:
    """The salarié's sorties a situation can follow, the latest first."""
    days = [stay.exit_date for stay in employee.previous_stays]
    if employee.exit_date is not None:
        days.append(employee.exit_date)
    return sorted(days, reverse=True)


def of_exit(employee: Employee, exit_date: date | None) -> ExitFollowup | None:
    return next((f for f in employee.exit_followups if f.exit_date == exit_date), None)


def _clean(values: dict) -> dict:
    values = {name: values.get(name) for name in FOLLOWUP_FIELDS}
    values["comment"] = (values["comment"] or "").strip() or None
    values["reason"] = values["reason"] or None
    if values["kind"] == FOLLOWUP_UNREACHABLE:
        values["reason"] = None
    return values


def validate(employee: Employee, values: dict, today: date) -> None:
    exit_date, checked_on, kind = values["exit_date"], values["checked_on"], values["kind"]
    if exit_date not in exit_dates(employee):
        raise ServiceError("Choisissez la sortie dont il s'agit.", field="exit_date")
    if checked_on is None:
        raise ServiceError(
            "Indiquez la date à laquelle la situation a été recueillie.", field="checked_on"
        )
    if checked_on < exit_date:
        raise ServiceError(
            f"La situation se recueille après la sortie du {fr_date(exit_date)}.",
            field="checked_on",
        )
    if checked_on > today:
        raise ServiceError("La date du point ne peut pas être dans le futur.", field="checked_on")
    if kind not in FOLLOWUP_KINDS:
        raise ServiceError("Choisissez la situation.", field="kind")
    if kind != FOLLOWUP_UNREACHABLE and values["reason"] not in EXIT_REASONS[kind]:
        raise ServiceError(
            f"Choisissez une précision qui correspond à « {FOLLOWUP_KINDS[kind]} ».",
            field="reason",
        )


def record(
    session: Session,
    membership: Membership,
    employee: Employee,
    values: dict,
    today: date | None = None,
) -> ExitFollowup:
    """Record (or correct) the situation six months after the sortie ``values["exit_date"]``;
    the one who saves it is the one who recorded it."""
    values = _clean(values)
    validate(employee, values, today or date.today())
    row = of_exit(employee, values["exit_date"])
    fields = {k: values[k] for k in ("checked_on", "kind", "reason", "comment")}
    if row is None:
        row = ExitFollowup(
            structure_id=employee.structure_id,
            exit_date=values["exit_date"],
            recorded_by_id=membership.id if membership else None,
            **fields,
        )
        employee.exit_followups.append(row)
        session.flush()
        history.created(session, membership, ENTITY, row, {"exit_date": row.exit_date, **fields})
    elif history.change(session, membership, ENTITY, row, fields):
        row.recorded_by_id = membership.id if membership else None
    session.flush()
    return row


def follow_exit_date(
    session: Session, membership: Membership, employee: Employee, old: date | None, new
) -> None:
    """The current sortie was moved (``new``) or cancelled (None): its situation follows it,
    or goes with it."""
    row = of_exit(employee, old)
    if row is None or old == new:
        return
    if new is None:
        history.event(session, membership, ENTITY, row, "deleted", "Sortie annulée")
        employee.exit_followups.remove(row)
    else:
        history.change(session, membership, ENTITY, row, {"exit_date": new})
