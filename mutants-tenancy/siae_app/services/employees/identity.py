"""The salarié's fiche: identity, team, référent, aménagements, eligibility criteria.

Edits of the Employee row carry the version the form was loaded with: a save on a stale
version is refused with what changed meanwhile (optimistic concurrency, ``StaleEdit``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from siae_app.models import (
    EligibilityCriterion,
    Employee,
    EmployeeCriterion,
    Membership,
    Role,
    Team,
)
from siae_app.models.employees import (
    DEFAULT_ELIGIBILITY_CRITERIA,
    EDUCATION_LEVELS,
    PRESCRIBER_KINDS,
    SENSITIVE_CRITERIA,
    SEXES,
)
from siae_app.permissions.policy import Perm, allowed
from siae_app.services import ServiceError, history
from siae_app.services.employees.dates import fr_date

IDENTITY_FIELDS = (
    "last_name",
    "usage_name",
    "first_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "team_id",
    "referent_id",
    "prescriber_org",
    "prescriber_contact",
    "entry_date",
)
STALE_MESSAGE = (
    "Quelqu'un a modifié cette fiche pendant que vous la modifiiez. Votre saisie est "
    "conservée ci-dessous : vérifiez les différences puis enregistrez à nouveau."
)


@dataclass
class Conflict:
    field: str
    label: str
    yours: str
    current: str


class StaleEdit(ServiceError):
    """The form was loaded at an older version: ``conflicts`` says what differs now."""

    def __init__(self, conflicts: list[Conflict] | None = None, current_version: int = 0):
        super().__init__(STALE_MESSAGE, field="version_id")
        self.conflicts = conflicts or []
        self.current_version = current_version


def _shown(value) -> str:
    if isinstance(value, date):
        return fr_date(value)
    return "(vide)" if value is None or value == "" else str(value)


def _names(session: Session, name_field: str, value) -> str:
    """Ids are shown as names in a conflict (team, référent)."""
    if value is None:
        return "(aucun)"
    if name_field == "team_id":
        team = session.get(Team, value)
        return team.name if team else "(équipe supprimée)"
    m = session.get(Membership, value)
    return m.user.full_name if m else "(personne supprimée)"


def check_version(session: Session, employee: Employee, version: int | None, values: dict):
    """Refuse a save made on an older version, listing fields whose value differs now."""
    if version is None or int(version) == employee.version_id:
        return
    conflicts = []
    for name, typed in values.items():
        current = getattr(employee, name)
        if not history.differs(current, typed):
            continue
        shown = _names if name in ("team_id", "referent_id") else None
        conflicts.append(
            Conflict(
                field=name,
                label=history.FIELD_LABELS.get(name, name),
                yours=shown(session, name, typed) if shown else _shown(typed),
                current=shown(session, name, current) if shown else _shown(current),
            )
        )
    raise StaleEdit(conflicts, employee.version_id)


def flush_versioned(session: Session, employee: Employee) -> None:
    """Flush; a concurrent save between our read and our write is a stale edit too."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit() from exc


def _clean(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        out[name] = value.strip() or None if isinstance(value, str) else value
    return out


def validate_identity(session: Session, values: dict, today: date | None = None) -> None:
    today = today or date.today()
    if not values.get("last_name"):
        raise ServiceError("Le nom est obligatoire.", field="last_name")
    if not values.get("first_name"):
        raise ServiceError("Le prénom est obligatoire.", field="first_name")
    birth, entry = values.get("birth_date"), values.get("entry_date")
    if birth and birth >= today:
        raise ServiceError("La date de naissance doit être passée.", field="birth_date")
    if birth and birth.year < 1900:
        raise ServiceError("Cette date de naissance n'est pas plausible.", field="birth_date")
    if birth and entry and entry <= birth:
        raise ServiceError(
            "La date d'entrée doit être postérieure à la date de naissance.", field="entry_date"
        )
    _check_refs(session, values)


def _check_refs(session: Session, values: dict) -> None:
    team_id, referent_id = values.get("team_id"), values.get("referent_id")
    if team_id and session.scalar(select(Team.id).where(Team.id == team_id)) is None:
        raise ServiceError("Cette équipe n'existe pas dans la structure.", field="team_id")
    if referent_id and referent_id not in {m.id for m in referent_choices(session)}:
        raise ServiceError(
            "Le ou la référent·e doit être CIP ou coordinateur·rice de la structure.",
            field="referent_id",
        )


def referent_choices(session: Session) -> list[Membership]:
    members = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    wanted = {Role.CIP, Role.COORDINATOR}
    found = [m for m in members if m.role_set & wanted]
    return sorted(found, key=lambda m: m.user.full_name)


def find_duplicate(
    session: Session, last_name: str, first_name: str, birth_date: date | None
) -> Employee | None:
    """Same name and birth date in the structure (names compared without case)."""
    if birth_date is None:
        return None
    return session.scalar(
        select(Employee).where(
            func.lower(Employee.last_name) == last_name.strip().lower(),
            func.lower(Employee.first_name) == first_name.strip().lower(),
            Employee.birth_date == birth_date,
        )
    )


def create_employee(session: Session, membership: Membership | None, values: dict) -> Employee:
    values = _clean({k: values.get(k) for k in IDENTITY_FIELDS})
    validate_identity(session, values)
    if find_duplicate(session, values["last_name"], values["first_name"], values["birth_date"]):
        raise ServiceError(
            "Un salarié de même nom, même prénom et même date de naissance existe déjà.",
            field="last_name",
        )
    employee = Employee(**values)
    session.add(employee)
    session.flush()
    history.created(session, membership, "employee", employee, values)
    return employee


def update_identity(
    session: Session, membership: Membership, employee: Employee, values: dict, version=None
) -> list[history.Change]:
    values = _clean({k: values.get(k) for k in IDENTITY_FIELDS})
    check_version(session, employee, version, values)
    validate_identity(session, values)
    dup = find_duplicate(session, values["last_name"], values["first_name"], values["birth_date"])
    if dup is not None and dup.id != employee.id:
        raise ServiceError(
            "Un autre salarié a le même nom, le même prénom et la même date de naissance.",
            field="last_name",
        )
    return _save(session, membership, employee, values)


def _save(session: Session, membership, employee: Employee, values: dict, sensitive=frozenset()):
    return history.change(
        session,
        membership,
        "employee",
        employee,
        values,
        sensitive=sensitive,
        flush=lambda s: flush_versioned(s, employee),
    )


def update_accommodations(
    session: Session, membership: Membership, employee: Employee, text: str | None, version=None
) -> list[history.Change]:
    values = _clean({"accommodations": text})
    check_version(session, employee, version, values)
    return _save(session, membership, employee, values)


# ------------------------------------------------------------------ situation at entry

SITUATION_FIELDS = (
    "sex",
    "education_level",
    "prescriber_kind",
    "unemployed_since",
    "jobseeker_since",
    "benefits_since",
    "resides_qpv",
    "resides_zrr",
)
_SITUATION_CODES = {
    "sex": SEXES,
    "education_level": EDUCATION_LEVELS,
    "prescriber_kind": PRESCRIBER_KINDS,
}


def update_situation(
    session: Session,
    membership: Membership,
    employee: Employee,
    values: dict,
    version=None,
    today: date | None = None,
) -> list[history.Change]:
    """The situation at entry the State's record asks: codes of its lists, past dates."""
    today = today or date.today()
    clean = {name: values.get(name) or None for name in SITUATION_FIELDS}
    clean["resides_qpv"] = bool(values.get("resides_qpv"))
    clean["resides_zrr"] = bool(values.get("resides_zrr"))
    for name, codes in _SITUATION_CODES.items():
        if clean[name] is not None and clean[name] not in codes:
            raise ServiceError("Choisissez une valeur de la liste.", field=name)
    for name in ("unemployed_since", "jobseeker_since", "benefits_since"):
        if clean[name] is not None and clean[name] > today:
            raise ServiceError("Cette date ne peut pas être dans le futur.", field=name)
    check_version(session, employee, version, clean)
    return _save(session, membership, employee, clean)


# ------------------------------------------------------------------ eligibility criteria


def ensure_default_criteria(session: Session) -> list[EligibilityCriterion]:
    """The structure's criteria, seeded with the usual list the first time."""
    existing = session.scalars(select(EligibilityCriterion)).all()
    if not existing:
        for position, (key, label) in enumerate(DEFAULT_ELIGIBILITY_CRITERIA):
            session.add(
                EligibilityCriterion(
                    key=key, label=label, position=position, is_sensitive=key in SENSITIVE_CRITERIA
                )
            )
        session.flush()
        existing = session.scalars(select(EligibilityCriterion)).all()
    return sorted(existing, key=lambda c: (c.position, c.label))


def writes_sensitive(membership: Membership | None) -> bool:
    """Does ``membership`` write the criteria revealing a handicap (the CIP; coordination
    reads them)? A write without a person (None) is not refused."""
    return membership is None or allowed(membership, Perm.EMPLOYEES_SENSITIVE_WRITE)


def set_criteria(
    session: Session, membership: Membership, employee: Employee, criterion_ids: list[uuid.UUID]
) -> None:
    """The salarié's criteria become ``criterion_ids``. Without the permission to write the
    sensitive ones, those stay exactly as they were: coordination is shown them read-only,
    so what it sends about them is not its choice."""
    available = {c.id: c for c in ensure_default_criteria(session) if not c.is_archived}
    unknown = set(criterion_ids) - set(available)
    if unknown:
        raise ServiceError("Critère inconnu dans cette structure.", field="criterion_ids")
    current = {link.criterion_id: link for link in employee.criteria}
    if not writes_sensitive(membership):
        plain = {cid for cid in criterion_ids if not available[cid].is_sensitive}
        kept = {cid for cid, link in current.items() if link.criterion.is_sensitive}
        criterion_ids = list(plain | kept)
    changes = []
    for cid in set(criterion_ids) - set(current):
        employee.criteria.append(EmployeeCriterion(criterion_id=cid))
        c = available[cid]
        changes.append(history.Change("criteria", None, c.label, c.is_sensitive))
    for cid in set(current) - set(criterion_ids):
        link = current[cid]
        employee.criteria.remove(link)
        changes.append(
            history.Change("criteria", link.criterion.label, None, link.criterion.is_sensitive)
        )
    session.flush()
    history.record(session, membership, "employee", employee, changes)


def add_criterion(session: Session, label: str, is_sensitive: bool) -> EligibilityCriterion:
    existing = ensure_default_criteria(session)
    label = (label or "").strip()
    if not label:
        raise ServiceError("Indiquez le libellé du critère.", field="label")
    if any(c.label.lower() == label.lower() for c in existing):
        raise ServiceError("Ce critère existe déjà.", field="label")
    criterion = EligibilityCriterion(
        key=f"perso_{uuid.uuid4().hex[:8]}",
        label=label,
        position=max((c.position for c in existing), default=0) + 1,
        is_sensitive=is_sensitive,
    )
    session.add(criterion)
    session.flush()
    return criterion


def toggle_criterion(session: Session, criterion_id: uuid.UUID | None) -> EligibilityCriterion:
    found = next((c for c in ensure_default_criteria(session) if c.id == criterion_id), None)
    if found is None:
        raise ServiceError("Ce critère n'existe pas dans la structure.", field="criterion_id")
    found.is_archived = not found.is_archived
    session.flush()
    return found
