"""Change records: one row per changed field, written by the services (never by the views).

No library was used: SQLAlchemy-Continuum and friends version whole rows in shadow tables,
and none knows our tenancy or the sensitive flag; one audited table is enough here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import ChangeRecord, Membership

# Field labels as people read them in the history (entity, field) -> label.
FIELD_LABELS = {
    "last_name": "Nom de naissance",
    "usage_name": "Nom d'usage",
    "first_name": "Prénom",
    "birth_date": "Date de naissance",
    "phone": "Téléphone",
    "email": "E-mail",
    "address": "Adresse",
    "team_id": "Équipe",
    "referent_id": "Référent·e CIP",
    "prescriber_org": "Prescripteur",
    "prescriber_contact": "Contact du prescripteur",
    "entry_date": "Date d'entrée",
    "exit_date": "Date de sortie",
    "exit_kind": "Type de sortie",
    "exit_reason": "Motif de sortie",
    "exit_comment": "Commentaire de sortie",
    "accommodations": "Aménagements de poste",
    "criteria": "Critères d'éligibilité",
    "number": "Numéro de PASS IAE",
    "start_date": "Date de début",
    "end_date": "Date de fin",
    "weekly_hours": "Heures par semaine",
    "parent_id": "Contrat prolongé",
    "derogation_motif": "Motif de dérogation",
    "ended_early_on": "Fin anticipée le",
    "kind": "Type",
    "motif": "Motif",
    "months": "Durée (mois)",
    "decided_on": "Décidée le",
    "created": "Création",
    "deleted": "Suppression",
}

ENTITY_LABELS = {
    "employee": "Fiche",
    "contract": "Contrat",
    "pass": "PASS IAE",
    "pass_suspension": "Suspension du PASS",
    "pass_extension": "Prolongation du PASS",
    "frein": "Frein",
    "action": "Action",
    "entretien": "Entretien",
}


def as_text(value) -> str | None:
    """How a value is kept in the history (ISO dates, plain numbers)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass
class Change:
    field: str
    old: object
    new: object
    sensitive: bool = False


def record(
    session: Session,
    membership: Membership | None,
    entity: str,
    entity_id: uuid.UUID,
    employee_id: uuid.UUID | None,
    changes: list[Change],
) -> None:
    for change in changes:
        session.add(
            ChangeRecord(
                membership_id=membership.id if membership else None,
                entity=entity,
                entity_id=entity_id,
                employee_id=employee_id,
                field=change.field,
                old_value=as_text(change.old),
                new_value=as_text(change.new),
                sensitive=change.sensitive,
            )
        )


def assign(obj, values: dict, sensitive: frozenset[str] = frozenset()) -> list[Change]:
    """Set the attributes that differ and say which changed (compared as history text)."""
    changes = []
    for name, new in values.items():
        old = getattr(obj, name)
        if as_text(old) != as_text(new):
            setattr(obj, name, new)
            changes.append(Change(name, old, new, name in sensitive))
    return changes


def update(
    session: Session,
    membership: Membership | None,
    entity: str,
    row,
    values: dict,
    sensitive: frozenset[str] = frozenset(),
) -> list[Change]:
    """Edit a row of the salarié's file (``row.employee_id``): ``assign``, flush, then one
    history record per changed field. Returns the changes."""
    changes = assign(row, values, sensitive)
    session.flush()
    record(session, membership, entity, row.id, row.employee_id, changes)
    return changes


def created(values: dict, sensitive: frozenset[str] = frozenset()) -> list[Change]:
    """A new record: its non-empty fields as changes from nothing."""
    return [
        Change(name, None, value, name in sensitive)
        for name, value in values.items()
        if as_text(value) is not None
    ]


def employee_history(session: Session, employee_id: uuid.UUID) -> list[ChangeRecord]:
    return list(
        session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.employee_id == employee_id)
            .options(selectinload(ChangeRecord.membership).selectinload(Membership.user))
            .order_by(ChangeRecord.at.desc())
        )
    )
