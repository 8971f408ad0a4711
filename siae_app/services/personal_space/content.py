"""What the salarié's own space shows, in plain words: their parcours, their documents, what
the structure holds about them. Never a sensitive item beyond what their own copies already
carry, never a staff member's data beyond a first name and a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Attestation,
    Contract,
    Employee,
    EvidenceFile,
    Interview,
    Membership,
    PassIae,
    Review,
    ReviewStatus,
    Structure,
    TeamSupervisor,
)
from siae_app.models.accounts import Role
from siae_app.privacy.registry import Category
from siae_app.services.privacy import register, retention

# A person's role, said as the salarié would say it: what they do, in words without a
# gender mark (a middle dot trips screen readers and slow readers alike).
ROLE_WORDS = {
    Role.CIP: "accompagnement vers l'emploi",
    Role.ETI: "encadrement au travail",
    Role.COORDINATOR: "coordination",
    Role.DIRECTOR: "direction",
}


@dataclass(frozen=True)
class Person:
    first_name: str
    role: str


@dataclass(frozen=True)
class Appointment:
    on: date
    what: str
    who: Person | None
    place: str


@dataclass(frozen=True)
class Parcours:
    contract_start: date | None
    contract_end: date | None
    weekly_hours: Decimal | None
    pass_end: date | None
    referent: Person | None
    supervisors: list[Person]
    appointments: list[Appointment]


def _person(membership: Membership | None, role: Role) -> Person | None:
    if membership is None or not membership.is_active or membership.user is None:
        return None
    return Person(membership.user.first_name, ROLE_WORDS[role])


def _current_contract(session: Session, employee: Employee, today: date) -> Contract | None:
    contracts = session.scalars(
        select(Contract).where(Contract.employee_id == employee.id).order_by(Contract.start_date)
    ).all()
    running = [c for c in contracts if c.start_date <= today <= (c.ended_early_on or c.end_date)]
    return (running or contracts or [None])[-1]


def _pass_end(session: Session, employee: Employee) -> date | None:
    passes = session.scalars(
        select(PassIae)
        .where(PassIae.employee_id == employee.id, PassIae.closed_on.is_(None))
        .order_by(PassIae.start_date)
    ).all()
    return passes[-1].end_date if passes else None


def place_of(structure: Structure) -> str:
    return structure.address or structure.city or structure.name


def appointments(
    session: Session, employee: Employee, structure: Structure, today: date
) -> list[Appointment]:
    """The next entretiens and bilans, soonest first (from today on)."""
    place = place_of(structure)
    found: list[Appointment] = []
    interviews = session.scalars(
        select(Interview)
        .where(Interview.employee_id == employee.id, Interview.next_on >= today)
        .options(selectinload(Interview.author).selectinload(Membership.user))
    )
    for interview in interviews:
        who = _person(interview.author, Role.CIP)
        found.append(Appointment(interview.next_on, "Entretien", who, place))
    reviews = session.scalars(
        select(Review)
        .where(Review.employee_id == employee.id, Review.status != ReviewStatus.VALIDATED)
        .options(selectinload(Review.author).selectinload(Membership.user))
    )
    for review in reviews:
        day = review.held_on or review.due_on
        if day is not None and day >= today:
            who = _person(review.author, Role.CIP)
            found.append(Appointment(day, review.kind_label, who, place))
    unique = {(a.on, a.what): a for a in found}
    return sorted(unique.values(), key=lambda a: (a.on, a.what))


def parcours(session: Session, employee: Employee, structure: Structure, today: date) -> Parcours:
    contract = _current_contract(session, employee, today)
    referent = session.get(Membership, employee.referent_id) if employee.referent_id else None
    supervisors: list[Person] = []
    if employee.team_id is not None:
        rows = session.scalars(
            select(TeamSupervisor)
            .where(TeamSupervisor.team_id == employee.team_id)
            .options(selectinload(TeamSupervisor.membership).selectinload(Membership.user))
        )
        supervisors = [p for p in (_person(r.membership, Role.ETI) for r in rows) if p]
        supervisors.sort(key=lambda p: p.first_name)
    return Parcours(
        contract_start=contract.start_date if contract else None,
        contract_end=(contract.ended_early_on or contract.end_date) if contract else None,
        weekly_hours=contract.weekly_hours if contract else None,
        pass_end=_pass_end(session, employee),
        referent=_person(referent, Role.CIP),
        supervisors=supervisors,
        appointments=appointments(session, employee, structure, today),
    )


# ------------------------------------------------------------------------------ documents


def validated_reviews(session: Session, employee: Employee) -> list[Review]:
    return list(
        session.scalars(
            select(Review)
            .where(Review.employee_id == employee.id, Review.status == ReviewStatus.VALIDATED)
            .order_by(Review.validated_at.desc())
        )
    )


def offered_evidence_files(session: Session, employee: Employee) -> list[EvidenceFile]:
    """The dossiers de preuves the CIP offered in the salarié's space."""
    return list(
        session.scalars(
            select(EvidenceFile)
            .options(selectinload(EvidenceFile.framework))
            .where(EvidenceFile.employee_id == employee.id, EvidenceFile.offered_in_space.is_(True))
            .order_by(EvidenceFile.offered_at.desc())
        )
    )


def signed_attestations(session: Session, employee: Employee) -> list[Attestation]:
    """Signed, not revoked, and still kept (an expired one is only a fact of the register)."""
    return list(
        session.scalars(
            select(Attestation)
            .where(
                Attestation.employee_id == employee.id,
                Attestation.signed_at.is_not(None),
                Attestation.revoked_at.is_(None),
                Attestation.expired_on.is_(None),
            )
            .order_by(Attestation.signed_at.desc())
        )
    )


# ------------------------------------------------------------------------------ my data

# Each category of the register, said in plain words: what it is, who sees it.
PLAIN = {
    Category.IDENTITY: (
        "Qui vous êtes",
        "Votre nom, votre date de naissance, votre adresse, votre téléphone.",
        "L'équipe qui vous accompagne.",
    ),
    Category.EMPLOYMENT: (
        "Votre contrat",
        "Vos contrats, votre PASS IAE, vos présences et vos heures.",
        "La direction, la coordination, la personne qui vous accompagne vers l'emploi. "
        "L'encadrement au travail voit les présences.",
    ),
    Category.ACCOMPANIMENT: (
        "Votre accompagnement",
        "Les entretiens, les objectifs, les démarches, ce que l'équipe observe au travail.",
        "L'équipe qui vous accompagne.",
    ),
    Category.SENSITIVE: (
        "Ce qui est personnel",
        "Ce que vous avez confié sur votre santé ou votre vie personnelle, si vous l'avez dit.",
        "Seulement la personne qui vous accompagne vers l'emploi, et la coordination.",
    ),
    Category.EVALUATION: (
        "Vos compétences",
        "Les évaluations de votre travail et ce que vous savez faire.",
        "L'équipe qui vous accompagne.",
    ),
    Category.DOCUMENTS: (
        "Vos documents",
        "Les bilans et les attestations.",
        "L'équipe, et les personnes à qui vous donnez vos documents.",
    ),
    Category.TRACES: (
        "Qui a regardé votre dossier",
        "Le nom de la personne de l'équipe et la date, à chaque fois.",
        "La direction.",
    ),
}


@dataclass(frozen=True)
class DataPart:
    title: str
    what: str
    who: str
    how_long: list[str]


def data_parts(session: Session, structure: Structure) -> list[DataPart]:
    """The register's categories about a salarié, with the durations in force here."""
    in_force = retention.durations(session, structure.id)
    out = []
    for section in register.sections(in_force):
        words = PLAIN.get(section.category)
        if words is None:
            continue
        how_long = [f"{rule.text} {rule.since}" for rule in section.rules]
        out.append(DataPart(words[0], words[1], words[2], how_long))
    return out
