"""Pistes d'action: creation (full form or quick-add), updates with history."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import Action, Employee, Membership, Partner
from siae_app.models.actions import ACTION_NATURES, ACTION_STATUSES
from siae_app.services import ServiceError, history
from siae_app.services.versions import check_version, flush_or_stale

MAX_MINUTES = 24 * 60


def quick_add(
    session: Session, *, employee: Employee, membership: Membership, label: str
) -> Action:
    """« + Action »: salarié and label; owner = the person adding it, status « prévue »."""
    label = (label or "").strip()
    if not label:
        raise ServiceError("Donnez un intitulé à l'action.", field="label")
    action = Action(employee_id=employee.id, label=label, owner_id=membership.id, status="prevue")
    session.add(action)
    session.flush()
    return action


def _check(status: str, nature: str, minutes: int | None, due_date: date | None, employee) -> None:
    if status not in ACTION_STATUSES:
        raise ServiceError("Statut inconnu.", field="status")
    if nature not in ACTION_NATURES:
        raise ServiceError("Nature inconnue.", field="nature")
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise ServiceError("Le temps passé va de 0 à 1 440 minutes.", field="minutes_spent")
    if due_date and employee.entry_date and due_date < employee.entry_date:
        raise ServiceError(
            "L'échéance ne peut pas précéder l'arrivée du salarié "
            f"({employee.entry_date.strftime('%d/%m/%Y')}).",
            field="due_date",
        )


def _state(action: Action) -> dict[str, object]:
    return {
        "intitulé": action.label,
        "nature": action.nature,
        "partenaire": action.partner,
        "échéance": action.due_date,
        "statut": action.status,
        "résultat": action.result,
        "minutes": action.minutes_spent,
    }


def save_action(
    session: Session,
    action: Action,
    *,
    membership: Membership,
    label: str,
    nature: str,
    partner: Partner | None,
    owner_id: uuid.UUID | None,
    due_date: date | None,
    status: str,
    result: str | None,
    minutes_spent: int | None,
    expected_version: int | None = None,
) -> Action:
    check_version(action, expected_version)
    _check(status, nature, minutes_spent, due_date, action.employee)
    before = _state(action)
    action.label, action.nature, action.partner = label.strip(), nature, partner
    action.owner_id, action.due_date, action.status = owner_id, due_date, status
    action.result, action.minutes_spent = (result or None), minutes_spent
    flush_or_stale(session)
    history.record(session, membership, "action", action, history.compare(before, _state(action)))
    return action
