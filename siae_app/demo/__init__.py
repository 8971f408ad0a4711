"""Synthetic demo data: two structures, one account per role in each, a shared account.

Everything here is invented (Faker fr_FR with fixed seeds); never real personal data.
Idempotent: objects are looked up by their natural key before being created.
"""

from __future__ import annotations

import hashlib

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.demo.archives import load_demo_archives
from siae_app.demo.attestations import load_demo_attestations
from siae_app.demo.certification import load_demo_certification
from siae_app.demo.chantier import load_demo_chantier
from siae_app.demo.employees import load_demo_employees
from siae_app.demo.evaluations import load_demo_evaluations
from siae_app.demo.followup import load_demo_followup
from siae_app.demo.frameworks import load_demo_frameworks
from siae_app.demo.funding import load_demo_funding
from siae_app.demo.handover import load_demo_handover
from siae_app.demo.immersions import load_demo_immersions
from siae_app.demo.personal_space import load_demo_personal_space
from siae_app.demo.renewals import load_demo_renewals
from siae_app.demo.reviews import load_demo_reviews
from siae_app.models import Activity, Membership, Role, Structure, Team, TeamSupervisor, User
from siae_app.services.passwords import DEMO_PASSWORD, hash_password
from siae_app.services.scales import create_default_scale

# DEMO_PASSWORD is published (README, `make run`): the password policy refuses it for any real
# account.
STRUCTURES = [
    {
        "slug": "jardins-du-val",
        "name": "ACI Les Jardins du Val",
        "kind": "ACI",
        "city": "Saint-Jean-de-Braye",
        "short": "jardins",
        "activities": [
            ("Espaces verts", "Entretien de parcs, tonte, taille de haies et débroussaillage."),
            ("Maraîchage biologique", "Production de légumes sous serre et en plein champ."),
        ],
        "teams": [
            ("Équipe espaces verts Nord", "Espaces verts", "Parc de la Charbonnière"),
            ("Équipe maraîchage", "Maraîchage biologique", "Serres du Val"),
        ],
    },
    {
        "slug": "recyclerie-etabli",
        "name": "L'Établi, recyclerie solidaire",
        "kind": "EI",
        "city": "Villeurbanne",
        "short": "etabli",
        "activities": [
            ("Collecte et tri", "Collecte en déchèterie et chez les particuliers, tri des dons."),
            ("Valorisation et vente", "Réparation, nettoyage, mise en rayon et vente en boutique."),
        ],
        "teams": [
            ("Équipe tri-valorisation", "Collecte et tri", "Atelier rue Francis-de-Pressensé"),
            ("Équipe boutique", "Valorisation et vente", "Boutique cours Émile-Zola"),
        ],
    },
]

ROLE_LOGINS = [
    (Role.ETI, "eti"),
    (Role.CIP, "cip"),
    (Role.COORDINATOR, "coordination"),
    (Role.DIRECTOR, "direction"),
    (Role.ADMIN, "admin"),
]
SHARED_EMAIL = "multi.structures@example.org"
# The direction of the group that runs both structures (sees them side by side).
GROUP_EMAIL = "direction.groupe@example.org"


def _fake_person(email: str) -> tuple[str, str]:
    fake = Faker("fr_FR")
    fake.seed_instance(int(hashlib.sha256(email.encode()).hexdigest()[:8], 16))
    return fake.first_name(), fake.last_name()


def _user(session: Session, email: str, password_hash: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        first, last = _fake_person(email)
        user = User(email=email, first_name=first, last_name=last, password_hash=password_hash)
        session.add(user)
        session.flush()
    return user


def _membership(session: Session, structure: Structure, user: User, roles: list[Role]):
    m = session.scalar(
        select(Membership).where(
            Membership.structure_id == structure.id, Membership.user_id == user.id
        )
    )
    if m is None:
        m = Membership(structure_id=structure.id, user=user, roles=[r.value for r in roles])
        session.add(m)
        session.flush()
    return m


def _named(session: Session, model, structure: Structure, name: str, **fields):
    obj = session.scalar(
        select(model).where(model.structure_id == structure.id, model.name == name)
    )
    if obj is None:
        obj = model(structure_id=structure.id, name=name, **fields)
        session.add(obj)
        session.flush()
    return obj


def load_demo(session: Session) -> list[tuple[str, str, str]]:
    """Create (or complete) the demo; return (structure, role label, email) for each login."""
    if tenancy.current_tenant(session) != tenancy.SYSTEM:
        raise RuntimeError("Le chargement de la démonstration se fait en périmètre système.")
    password_hash = hash_password(DEMO_PASSWORD)
    logins: list[tuple[str, str, str]] = []
    shared = _user(session, SHARED_EMAIL, password_hash)
    group = _user(session, GROUP_EMAIL, password_hash)
    for spec in STRUCTURES:
        structure = session.scalar(select(Structure).where(Structure.slug == spec["slug"]))
        if structure is None:
            structure = Structure(
                slug=spec["slug"], name=spec["name"], kind=spec["kind"], city=spec["city"]
            )
            session.add(structure)
            session.flush()
            create_default_scale(session, structure.id)
        etis = []
        for role, prefix in ROLE_LOGINS:
            email = f"{prefix}.{spec['short']}@example.org"
            user = _user(session, email, password_hash)
            m = _membership(session, structure, user, [role])
            if role is Role.ETI:
                etis.append(m)
            logins.append((structure.name, role.label, email))
        # The shared account: ETI on the chantier in one structure, CIP in the other.
        shared_role = Role.ETI if spec["short"] == "jardins" else Role.CIP
        shared_m = _membership(session, structure, shared, [shared_role])
        if shared_role is Role.ETI:
            etis.append(shared_m)
        logins.append((structure.name, f"{shared_role.label} (2 structures)", SHARED_EMAIL))
        _membership(session, structure, group, [Role.DIRECTOR])
        logins.append((structure.name, "Direction du groupe (2 structures)", GROUP_EMAIL))
        activities = {
            name: _named(session, Activity, structure, name, description=desc)
            for name, desc in spec["activities"]
        }
        for i, (team_name, activity_name, location) in enumerate(spec["teams"]):
            team = _named(
                session,
                Team,
                structure,
                team_name,
                activity_id=activities[activity_name].id,
                location=location,
            )
            supervisor = etis[i % len(etis)]
            if not any(s.membership_id == supervisor.id for s in team.supervisions):
                team.supervisions.append(
                    TeamSupervisor(structure_id=structure.id, membership_id=supervisor.id)
                )
        session.flush()
        with tenancy.tenant_scope(session, structure.id):
            load_demo_frameworks(session, structure)
            load_demo_employees(session, structure)
            load_demo_funding(session, structure)
            load_demo_followup(session, structure)
            load_demo_chantier(session, structure)
            load_demo_evaluations(session, structure)  # before the bilans that compile them
            load_demo_certification(session, structure)
            load_demo_immersions(session, structure)  # read by the bilans and attestations
            load_demo_reviews(session, structure)
            load_demo_attestations(session, structure)
            load_demo_handover(session, structure)
            load_demo_renewals(session, structure)
            load_demo_archives(session, structure)  # last: nothing else adds to their files
            load_demo_personal_space(session, structure)
    return logins
