"""Two salariés who left years ago, in each structure: what ``flask rgpd purge`` finds.

One left three years ago (their accompaniment's texts are due to go: two years after the
last contact), one six years ago (due to be anonymised: five years after their last
contract). Loaded last, so that no other part of the demo adds to their files.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Contract,
    Employee,
    Interview,
    Membership,
    Observation,
    PassIae,
    Role,
    Structure,
    Team,
)
from siae_app.services.employees.dates import add_months

# (months since the sortie, length of the parcours in months, sortie, what was noted)
ARCHIVES = [
    (
        37,
        14,
        ("emploi_durable", "cdi"),
        "Très autonome sur la taille des haies, a formé deux nouveaux arrivants.",
        "Point avant sortie : embauche en CDI chez un paysagiste, permis B obtenu.",
    ),
    (
        74,
        10,
        ("autre", "demandeur_emploi"),
        "Absences répétées le lundi, en lien avec des démarches de logement.",
        "Fin de contrat : inscrit à France Travail, orienté vers un chantier de BTP.",
    ),
]


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def load_demo_archives(session: Session, structure: Structure, today: date | None = None):
    """Create the former salariés of ``structure`` once (its tenant is active)."""
    today = today or date.today()
    fake = Faker("fr_FR")
    fake.seed_instance(_seed(f"anciens-{structure.slug}"))
    team = session.scalars(select(Team).order_by(Team.name)).first()
    members = session.scalars(select(Membership)).all()
    eti = next((m for m in members if Role.ETI in m.role_set), None)
    cip = next((m for m in members if Role.CIP in m.role_set), None)
    for i, (months_ago, length, (kind, reason), seen, said) in enumerate(ARCHIVES):
        last, first = fake.last_name(), fake.first_name()
        birth = fake.date_of_birth(minimum_age=30, maximum_age=55)
        phone = fake.phone_number()
        address = f"{fake.street_address()}, {fake.postcode()} {fake.city()}"
        exit_date = add_months(today, -months_ago)
        entry = add_months(exit_date, -length) + timedelta(days=1)
        exists = session.scalar(
            select(Employee.id).where(Employee.last_name == last, Employee.first_name == first)
        )
        if exists:
            continue
        employee = Employee(
            last_name=last,
            first_name=first,
            birth_date=birth,
            phone=phone,
            address=address,
            team_id=team.id if team else None,
            referent_id=cip.id if cip else None,
            prescriber_org="France Travail",
            entry_date=entry,
            exit_date=exit_date,
            exit_kind=kind,
            exit_reason=reason,
            sex="M" if i % 2 else "F",
        )
        employee.contracts = [
            Contract(kind="cddi", start_date=entry, end_date=exit_date, weekly_hours=Decimal(26))
        ]
        employee.passes = [
            PassIae(
                number=f"99998{_seed(structure.slug) % 100:02d}{i:05d}",
                start_date=entry,
                end_date=add_months(entry, 24) - timedelta(days=1),
            )
        ]
        session.add(employee)
        session.flush()
        session.add_all(
            [
                Observation(
                    employee_id=employee.id,
                    author_id=eti.id if eti else None,
                    team_id=team.id if team else None,
                    observed_on=exit_date - timedelta(days=40),
                    text=seen,
                    tone="positive" if kind == "emploi_durable" else "vigilance",
                ),
                Interview(
                    employee_id=employee.id,
                    author_id=cip.id if cip else None,
                    held_on=exit_date - timedelta(days=7),
                    kind="preparation_sortie",
                    summary=said,
                    closed_at=datetime.combine(exit_date, time(17), tzinfo=UTC),
                ),
            ]
        )
    session.flush()
