"""The change history of a salarié's file: who changed which field of which record, when, from
what to what (``ChangeRecord``, one row per field, append-only: see ``records.py``).

Every feature writes and reads it here, one way:

- the service function that changes a row records the change in the same call (``change``,
  ``created``, ``event``, or ``compare`` then ``record``); a view never writes it;
- a value is kept as people read it on the screens (``label``): the French label of a choice
  or a status, « Oui » / « Non », a date as 06/01/2025, hours as 17,5, the name of a team, a
  person, a partner, an axis — never a code or an id. The history reads the same whatever
  the code lists become, and answers « what was recorded about this person » in words;
- ``of_row`` and ``of_employee`` give the lines as shown (``Entry``). Rows written before
  that rule hold codes (ISO dates, ids, choice codes, bilan steps): they are shown as labels
  too (``_legacy``), never rewritten.

No library was used: SQLAlchemy-Continuum and friends version whole rows in shadow tables,
and none knows our tenancy or the sensitive flag; one audited table is enough here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    BarrierAxis,
    ChangeRecord,
    Contract,
    Employee,
    InterviewStatus,
    Membership,
    Partner,
    ReviewStatus,
    Team,
)
from siae_app.models.actions import ACTION_NATURES, ACTION_STATUSES
from siae_app.models.attendance import ABSENCE_MOTIFS, ATTENDANCE_STATUSES
from siae_app.models.diagnostic import BARRIER_STATUSES
from siae_app.models.employees import (
    DEROGATION_MOTIFS,
    EDUCATION_LEVELS,
    EXIT_KINDS,
    EXIT_REASONS,
    FOLLOWUP_KINDS,
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_MOTIFS,
    PRESCRIBER_KINDS,
    SEXES,
)
from siae_app.models.funding import ANNEX_KINDS
from siae_app.models.immersions import IMMERSION_OBJECTS, OBJECTIVES_REACHED
from siae_app.models.reviews import REVIEW_KINDS
from siae_app.models.statuses import Status
from siae_app.services.employees.dates import fr_date

# How each field is named in the history (the stored ``field`` → its label).
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
    "training_end": "Fin de la formation",
    "closed_on": "Clôturé le",
    "closure_reason": "Motif de clôture",
    "waiting_period_waived": "Dérogation au délai de carence",
    "created": "Création",
    "deleted": "Suppression",
    "status": "Statut",
    "late_minutes": "Retard (minutes)",
    "hours_worked": "Heures travaillées",
    "marked_by_id": "Pointé par",
    "annex_kind": "Annexe financière",
    "sex": "Sexe",
    "education_level": "Niveau de formation",
    "prescriber_kind": "Type de prescripteur",
    "unemployed_since": "Sans emploi depuis",
    "jobseeker_since": "Inscrit·e à France Travail depuis",
    "benefits_since": "Minima sociaux depuis",
    "resides_qpv": "Réside en QPV",
    "resides_zrr": "Réside en ZRR",
    "hours": "Heures payées",
    "month": "Mois",
    "certificat_travail": "Certificat de travail remis le",
    "attestation_employeur": "Attestation employeur (France Travail) remise le",
    "solde_tout_compte": "Solde de tout compte remis le",
    "attestation_competences": "Attestation de compétences remise le",
    "bilan_sortie": "Bilan de sortie tenu le",
    "documents_remis": "Documents remis au salarié le",
    "motif_sans_attestation": "Motif : pas d'attestation de compétences",
    "checked_on": "Situation recueillie le",
    "reason": "Précision",
    "comment": "Commentaire",
    "host": "Structure d'accueil",
    "object_kind": "Objet",
    "objectives": "Objectifs",
    "days": "Jours d'immersion",
    "renewal_of": "Renouvellement de",
    "objectives_reached": "Objectifs atteints",
    "host_observations": "Observations de la structure d'accueil",
    "job_offer": "Offre d'emploi",
    "job_offer_details": "Précisions sur l'offre",
    "contrat": "Contrat",
    "avis de l'encadrant": "Avis de l'encadrant",
    "proposition de la CIP": "Proposition de la CIP",
    "motif de dérogation": "Motif de dérogation",
    "décision de la direction": "Décision de la direction",
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
    "bilan": "Bilan",
    "attendance": "Présence",
    "paid_hours": "Heures payées",
    "exit_handover": "Remise des documents de sortie",
    "exit_followup": "Situation à 6 mois",
    "immersion": "Immersion (PMSMP)",
    "renouvellement": "Renouvellement du contrat",
}

# Fields that hold a code of a list: (entity, field) → {code: label}.
CHOICES: dict[tuple[str, str], Mapping[str, str]] = {
    ("employee", "exit_kind"): EXIT_KINDS,
    ("employee", "exit_reason"): {
        code: label for reasons in EXIT_REASONS.values() for code, label in reasons.items()
    },
    ("exit_followup", "kind"): FOLLOWUP_KINDS,
    ("immersion", "object_kind"): IMMERSION_OBJECTS,
    ("immersion", "objectives_reached"): OBJECTIVES_REACHED,
    ("exit_followup", "reason"): {
        code: label for reasons in EXIT_REASONS.values() for code, label in reasons.items()
    },
    ("contract", "derogation_motif"): DEROGATION_MOTIFS,
    ("contract", "annex_kind"): ANNEX_KINDS,
    ("employee", "sex"): SEXES,
    ("employee", "education_level"): EDUCATION_LEVELS,
    ("employee", "prescriber_kind"): PRESCRIBER_KINDS,
    ("pass_suspension", "motif"): PASS_SUSPENSION_MOTIFS,
    ("pass_extension", "motif"): PASS_EXTENSION_MOTIFS,
    ("frein", "statut"): BARRIER_STATUSES,
    ("action", "nature"): ACTION_NATURES,
    ("action", "statut"): ACTION_STATUSES,
    ("bilan", "ouverture"): REVIEW_KINDS,
    ("bilan", "étape"): ReviewStatus.choices(),
    ("entretien", "clôture"): {"clôturé": InterviewStatus.CLOSED.label},
    ("attendance", "status"): ATTENDANCE_STATUSES,
    ("attendance", "motif"): ABSENCE_MOTIFS,
}
# Fields that hold the id of another row: kept as its name.
REFERENCES: dict[str, type] = {
    "team_id": Team,
    "referent_id": Membership,
    "marked_by_id": Membership,
    "parent_id": Contract,
}
# What rows written before the labels rule hold in ISO form or with a decimal point.
DATE_FIELDS = frozenset(
    {"birth_date", "entry_date", "exit_date", "start_date", "end_date", "ended_early_on"}
    | {"decided_on", "échéance"}
)
NUMBER_FIELDS = frozenset({"weekly_hours", "hours_worked", "hours"})
DISCLOSURE_FIELDS = ("inclusion d'un élément confidentiel", "retrait d'un élément confidentiel")
# A disclosed item as those rows name it (« barrier:<id> »…), said without revealing it.
LEGACY_ITEMS = {
    "barrier": "Frein sensible",
    "note": "Note confidentielle",
    "need": "Besoin sensible",
    "motif": "Motif de prolongation",
}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DOTTED_NUMBER = re.compile(r"\d+\.\d+")


# ------------------------------------------------------------------ values as labels


def decimal_fr(value: Decimal) -> str:
    """« 17,5 », « 35 »: a decimal as the screens write it."""
    return format(value.normalize(), "f").replace(".", ",")


def _name(value) -> str | None:
    """The name a row goes by on the screens, for the rows a history mentions."""
    if isinstance(value, Team | Partner):
        return value.name
    if isinstance(value, Membership):
        return value.user.full_name
    if isinstance(value, BarrierAxis):
        return value.label
    if isinstance(value, Contract):
        return f"Contrat du {fr_date(value.start_date)} au {fr_date(value.end_date)}"
    return None


def label(value, choices: Mapping[str, str] | None = None) -> str | None:
    """A value as the history keeps and shows it (None: nothing). ``choices`` are the labels
    of the codes of the field's list."""
    if value is None or value == "":
        return None
    if choices is not None and isinstance(value, str) and value in choices:
        return choices[value]
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Status):
        return value.label
    if isinstance(value, date):
        return fr_date(value)
    if isinstance(value, Decimal):
        return decimal_fr(value)
    return _name(value) or str(value)


def _canonical(value) -> str | None:
    """What two values are compared by (a date and its ISO text, 35 and 35.00 are equal; a row
    by its id)."""
    if value is None or value == "":
        return None
    row_id = getattr(value, "id", None)
    if isinstance(row_id, uuid.UUID):
        return str(row_id)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def differs(old, new) -> bool:
    return _canonical(old) != _canonical(new)


# ------------------------------------------------------------------ writing


@dataclass(frozen=True)
class Change:
    """One field of one record, before and after (values as the code holds them)."""

    field: str
    old: object
    new: object
    sensitive: bool = False


def _employee_id(row) -> uuid.UUID:
    return row.id if isinstance(row, Employee) else row.employee_id


def _stored(session: Session, entity: str, field: str, value) -> str | None:
    model = REFERENCES.get(field)
    if model is not None and isinstance(value, uuid.UUID):
        value = session.get(model, value) or value
    return label(value, CHOICES.get((entity, field)))


def record(
    session: Session,
    by: Membership | None,
    entity: str,
    row,
    changes: Iterable[Change],
    *,
    employee_id: uuid.UUID | None = None,
) -> None:
    """One history line per change of ``row`` (a record of the salarié's file; a row that
    does not know its salarié names it with ``employee_id``). The lines are flushed with the
    next flush, in the row's structure."""
    for c in changes:
        session.add(
            ChangeRecord(
                structure_id=row.structure_id,
                membership_id=by.id if by else None,
                entity=entity,
                entity_id=row.id,
                employee_id=employee_id or _employee_id(row),
                field=c.field,
                old_value=_stored(session, entity, c.field, c.old),
                new_value=_stored(session, entity, c.field, c.new),
                sensitive=c.sensitive,
            )
        )


def change(
    session: Session,
    by: Membership | None,
    entity: str,
    row,
    values: dict,
    *,
    sensitive: frozenset[str] = frozenset(),
    flush: Callable[[Session], None] | None = None,
) -> list[Change]:
    """Set the attributes of ``row`` that differ from ``values`` and record each change.
    ``flush`` runs between the two when something changed (a versioned row's stale save
    then fails before anything is recorded). Returns the changes."""
    changes = []
    for name, new in values.items():
        old = getattr(row, name)
        if differs(old, new):
            setattr(row, name, new)
            changes.append(Change(name, old, new, name in sensitive))
    if changes and flush is not None:
        flush(session)
    record(session, by, entity, row, changes)
    return changes


def created(
    session: Session,
    by: Membership | None,
    entity: str,
    row,
    values: dict,
    *,
    sensitive: frozenset[str] = frozenset(),
    employee_id: uuid.UUID | None = None,
) -> list[Change]:
    """A new record: its non-empty fields, each as a change from nothing."""
    changes = [
        Change(name, None, value, name in sensitive)
        for name, value in values.items()
        if _canonical(value) is not None
    ]
    record(session, by, entity, row, changes, employee_id=employee_id)
    return changes


def compare(before: dict, after: dict, *, sensitive: bool = False) -> list[Change]:
    """The fields of ``after`` whose value differs from ``before`` (two states of a record
    taken around an edit)."""
    return [
        Change(name, before[name], new, sensitive)
        for name, new in after.items()
        if differs(before[name], new)
    ]


def event(
    session: Session,
    by: Membership | None,
    entity: str,
    row,
    name: str,
    new,
    *,
    old=None,
    sensitive: bool = False,
) -> None:
    """A step in the life of a record (« ouverture », « clôture », « étape »…)."""
    record(session, by, entity, row, [Change(name, old, new, sensitive)])


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Entry:
    """One line of a history as it is shown: who and when, then labels only (``key`` is the
    field as stored, for a page that treats some fields apart)."""

    at: datetime
    membership: Membership | None
    key: str
    entity: str
    field: str
    old: str | None
    new: str | None
    sensitive: bool


def of_row(session: Session, entity: str, row_id: uuid.UUID) -> list[Entry]:
    """The dated changes of one record, newest first, with who made each."""
    return _entries(
        session,
        select(ChangeRecord).where(ChangeRecord.entity == entity, ChangeRecord.entity_id == row_id),
    )


def of_employee(session: Session, employee_id: uuid.UUID) -> list[Entry]:
    """Every change of the salarié's file, newest first."""
    return _entries(session, select(ChangeRecord).where(ChangeRecord.employee_id == employee_id))


def _entries(session: Session, stmt: Select) -> list[Entry]:
    records = list(
        session.scalars(
            stmt.options(
                selectinload(ChangeRecord.membership).selectinload(Membership.user)
            ).order_by(ChangeRecord.at.desc())
        )
    )
    names = _names_of_ids(session, records)
    return [
        Entry(
            at=r.at,
            membership=r.membership,
            key=r.field,
            entity=ENTITY_LABELS.get(r.entity, r.entity),
            field=FIELD_LABELS.get(r.field, r.field),
            old=_legacy(r.entity, r.field, r.old_value, names),
            new=_legacy(r.entity, r.field, r.new_value, names),
            sensitive=r.sensitive,
        )
        for r in records
    ]


def _as_uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _names_of_ids(session: Session, records: list[ChangeRecord]) -> dict[str, str]:
    """The names of the rows that older lines name by id (one query per kind of row, none
    when no line holds an id)."""
    wanted: dict[type, set[uuid.UUID]] = {}
    for r in records:
        model = REFERENCES.get(r.field)
        ids = {_as_uuid(r.old_value), _as_uuid(r.new_value)} - {None}
        if model is not None and ids:
            wanted.setdefault(model, set()).update(ids)
    return {
        str(row.id): label(row)
        for model, ids in wanted.items()
        for row in session.scalars(select(model).where(model.id.in_(ids)))
    }


def _legacy(entity: str, field: str, text: str | None, names: dict[str, str]) -> str | None:
    """A stored value as shown: a label already, or what older lines kept instead (a code, an
    ISO date, an id, a decimal point, a disclosed item's key)."""
    if text is None:
        return None
    choices = CHOICES.get((entity, field), {})
    if text in choices:
        return choices[text]
    if field in REFERENCES:
        return names.get(text, text)
    if field in DATE_FIELDS and ISO_DAY.fullmatch(text):
        return fr_date(date.fromisoformat(text))
    if field in NUMBER_FIELDS and DOTTED_NUMBER.fullmatch(text):
        return decimal_fr(Decimal(text))
    if field in DISCLOSURE_FIELDS:
        kind, colon, _ = text.partition(":")
        return LEGACY_ITEMS.get(kind, text) if colon else text
    return text
