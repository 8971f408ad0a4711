"""Who may open a salarié's own space: a personal link and a six-digit code.

The link alone opens nothing: its secret is printed once (QR code on the handout, or sent by
e-mail) and only its SHA-256 digest is kept; the code is hashed like a password. A few wrong
codes lock the link until the CIP reopens it, so trying codes is hopeless (5 tries among a
million codes). A new link revokes the old one; a revoked, locked or ended access opens
nothing, and changing the code or the link's state ends every phone's session at once
(``generation``). The access ends by itself some months after the sortie (the structure's
``personal_space_months``) and when the salarié's file is anonymised.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Employee, Membership, Structure
from siae_app.models.base import utcnow
from siae_app.models.personal_space import PersonalAccess
from siae_app.services import ServiceError
from siae_app.services.employees.dates import add_months
from siae_app.services.passwords import hash_password, verify_password

MAX_FAILED = 5
CODE_LENGTH = 6
# A code given out by the CIP opens the space once, within this time.
TEMPORARY_CODE_DAYS = 7
# Link + code open the space for this long on one phone; then the code again.
SESSION_DAYS = 30

LOCKED = (
    "Trop d'essais : ce lien est bloqué. Demandez à votre conseillère ou votre conseiller "
    "de le rouvrir."
)
WRONG = "Ce code n'est pas le bon."
CLOSED = "Ce lien ne fonctionne plus. Demandez un nouveau lien à votre conseillère ou conseiller."


def link_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def current(session: Session, employee: Employee) -> PersonalAccess | None:
    """The salarié's link in use: the newest one not revoked."""
    return session.scalar(
        select(PersonalAccess)
        .where(PersonalAccess.employee_id == employee.id, PersonalAccess.revoked_at.is_(None))
        .order_by(PersonalAccess.created_at.desc())
        .limit(1)
    )


def ends_on(employee: Employee, structure: Structure) -> date | None:
    """The last day the space opens: some months after the sortie; none while in parcours."""
    if employee.exit_date is None:
        return None
    return add_months(employee.exit_date, structure.personal_space_months)


SPACE_MONTHS_MAX = 24


def set_months_after_exit(session: Session, structure: Structure, months: int | None) -> None:
    """How long after the sortie a salarié's space stays open (1 to 24 months). Flushes."""
    if months is None or not 1 <= months <= SPACE_MONTHS_MAX:
        raise ServiceError(f"Entre 1 et {SPACE_MONTHS_MAX} mois.", field="personal_space_months")
    structure.personal_space_months = months
    session.flush()


def closed_reason(
    access: PersonalAccess, employee: Employee, structure: Structure, today: date
) -> str | None:
    """Why this access opens nothing today (French), or None when it may open."""
    if access.revoked_at is not None or employee.anonymised_on is not None:
        return CLOSED
    end = ends_on(employee, structure)
    if end is not None and today > end:
        return CLOSED
    if access.locked_at is not None:
        return LOCKED
    return None


def _check_may_open(employee: Employee, structure: Structure, today: date) -> None:
    if employee.anonymised_on is not None:
        raise ServiceError("Ce dossier est anonymisé : il n'a plus d'espace personnel.")
    end = ends_on(employee, structure)
    if end is not None and today > end:
        raise ServiceError(
            f"La sortie date de plus de {structure.personal_space_months} mois : "
            "l'espace personnel n'est plus ouvert."
        )


def open_link(
    session: Session,
    membership: Membership,
    employee: Employee,
    structure: Structure,
    today: date,
) -> tuple[PersonalAccess, str]:
    """A new personal link (the old one, if any, stops working). Returns the access and the
    link's secret, which is shown this once. Flushes."""
    _check_may_open(employee, structure, today)
    now = utcnow()
    previous = current(session, employee)
    if previous is not None:
        previous.revoked_at = now
        previous.revoked_by_id = membership.id
        previous.generation += 1
    secret = _new_secret()
    access = PersonalAccess(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        link_digest=link_digest(secret),
        opened_by_id=membership.id,
        # Consent to reminders goes with the person, not with one link.
        reminders_consented_at=previous.reminders_consented_at if previous else None,
        reminders_recorded_by_id=previous.reminders_recorded_by_id if previous else None,
    )
    session.add(access)
    session.flush()
    return access, secret


_SEQUENCES = "0123456789012345 9876543210987654"


def code_problem(code: str, employee: Employee) -> str | None:
    """Why a chosen code is refused (French), or None."""
    if not re.fullmatch(r"[0-9]{6}", code or ""):
        return "Le code a 6 chiffres, sans espace ni lettre."
    if len(set(code)) == 1 or code in _SEQUENCES:
        return (
            "Ce code se devine trop facilement (suite ou chiffre répété). Choisissez-en un autre."
        )
    birth = employee.birth_date
    if birth is not None and code in {birth.strftime("%d%m%y"), birth.strftime("%d%m%Y")[:6]}:
        return "Ce code est votre date de naissance : choisissez-en un autre."
    return None


def _store_code(access: PersonalAccess, code: str, *, temporary: bool) -> None:
    access.code_hash = hash_password(code)
    access.code_temporary = temporary
    access.code_set_at = utcnow()
    access.failed_attempts = 0
    access.locked_at = None
    access.generation += 1


def set_code(session: Session, access: PersonalAccess, employee: Employee, code: str) -> None:
    """The code the salarié chose (beside the CIP, or on their phone after a given code).
    Flushes; every phone already open must enter the new code."""
    problem = code_problem(code, employee)
    if problem:
        raise ServiceError(problem, field="code")
    _store_code(access, code, temporary=False)
    session.flush()


def give_temporary_code(session: Session, access: PersonalAccess) -> str:
    """A random code for the CIP to hand over (shown once): it opens the space once within
    a week, then the salarié chooses their own. Reopens a locked link. Flushes."""
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    _store_code(access, code, temporary=True)
    session.flush()
    return code


def reopen(session: Session, access: PersonalAccess) -> None:
    """Unlock a link locked by wrong codes; the code stays the same. Flushes."""
    access.failed_attempts = 0
    access.locked_at = None
    session.flush()


def revoke(session: Session, membership: Membership, access: PersonalAccess) -> None:
    """The link and every phone's session stop at once. Flushes."""
    if access.revoked_at is None:
        access.revoked_at = utcnow()
        access.revoked_by_id = membership.id
        access.generation += 1
    session.flush()


@dataclass(frozen=True)
class Attempt:
    """The answer to a typed code: ``opened``, or the French reason it did not."""

    opened: bool
    message: str | None = None
    must_choose_code: bool = False


def try_code(
    session: Session,
    access: PersonalAccess,
    employee: Employee,
    structure: Structure,
    typed: str,
    today: date,
    now: datetime | None = None,
) -> Attempt:
    """Check a typed code against the link. A wrong one counts; the fifth locks the link.
    Flushes (the count must be written even when the answer is « no »)."""
    now = now or utcnow()
    reason = closed_reason(access, employee, structure, today)
    if reason:
        return Attempt(False, reason)
    if access.code_hash is None:
        return Attempt(False, "Aucun code n'a encore été choisi : voyez votre conseillère.")
    typed = re.sub(r"\s", "", typed or "")
    set_at = access.code_set_at
    if set_at is not None and set_at.tzinfo is None:  # SQLite gives it back without its zone
        set_at = set_at.replace(tzinfo=UTC)
    expired = access.code_temporary and (
        set_at is None or now - set_at > timedelta(days=TEMPORARY_CODE_DAYS)
    )
    right = verify_password(access.code_hash, typed)
    if not right or expired:
        access.failed_attempts += 1
        if access.failed_attempts >= MAX_FAILED:
            access.locked_at = now
            access.generation += 1
            session.flush()
            return Attempt(False, LOCKED)
        session.flush()
        left = MAX_FAILED - access.failed_attempts
        tries = "essai" if left == 1 else "essais"
        message = (
            "Ce code n'est plus valable : demandez un nouveau code à votre conseillère."
            if expired and right
            else f"{WRONG} Il vous reste {left} {tries}."
        )
        return Attempt(False, message)
    access.failed_attempts = 0
    access.last_opened_at = now
    session.flush()
    return Attempt(True, must_choose_code=access.code_temporary)


_BY_LINK_SQL = text("SELECT structure_id, access_id FROM app_personal_access_by_link(:digest)")


def find_by_link(session: Session, secret: str) -> PersonalAccess | None:
    """The access a personal link names, its structure made the active one; None (nothing
    active) for an unknown link. Before this, no structure is known: on PostgreSQL a
    SECURITY DEFINER function answers this one question across structures."""
    secret = (secret or "").strip()
    if not secret or len(secret) > 100:
        return None
    digest = link_digest(secret)
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(_BY_LINK_SQL, {"digest": digest}).first()
    else:
        with tenancy.system_scope(session):
            row = session.execute(
                select(PersonalAccess.structure_id, PersonalAccess.id).where(
                    PersonalAccess.link_digest == digest
                )
            ).first()
    if row is None:
        return None
    tenancy.activate(session, row[0])
    return session.get(PersonalAccess, row[1])
