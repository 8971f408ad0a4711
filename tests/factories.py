"""factory_boy factories. Passwords use a cheap argon2 profile so tests stay fast."""

from __future__ import annotations

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from siae_app.extensions import db
from siae_app.models import Activity, Membership, Role, Structure, Team, TeamSupervisor, User

TEST_PASSWORD = "Velo-Rouge-Sous-La-Pluie-42"
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TEST_PASSWORD_HASH = _fast.hash(TEST_PASSWORD)


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class StructureFactory(BaseFactory):
    class Meta:
        model = Structure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"Chantier d'insertion n°{n}")
    kind = "ACI"
    city = "Orléans"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password_hash = TEST_PASSWORD_HASH


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    structure = factory.SubFactory(StructureFactory)
    structure_id = factory.SelfAttribute("structure.id")
    user = factory.SubFactory(UserFactory)
    roles = factory.LazyFunction(lambda: [Role.ETI.value])
    is_active = True


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    structure_id = None
    name = factory.Sequence(lambda n: f"Espaces verts {n}")


class TeamFactory(BaseFactory):
    class Meta:
        model = Team

    structure_id = None
    name = factory.Sequence(lambda n: f"Équipe {n}")
    location = "Parc municipal"


class TeamSupervisorFactory(BaseFactory):
    class Meta:
        model = TeamSupervisor

    structure_id = None
    team_id = None
    membership_id = None


def parsed_tree(title: str, blocks: int = 1, comps: int = 2, criteria: int = 2):
    """A small framework tree (as the importers produce), with a transversal competency."""
    from siae_app.importers import (
        ParsedBlock,
        ParsedCompetency,
        ParsedCriterion,
        ParsedFramework,
    )

    n = 0
    parsed_blocks = []
    for b in range(1, blocks + 1):
        items = []
        for _ in range(comps):
            n += 1
            items.append(
                ParsedCompetency(
                    number=n,
                    title=f"Compétence {n} : respecter les consignes de sécurité",
                    kind="professional",
                    criteria=[
                        ParsedCriterion(text=f"Critère {n}.{k} : porte les équipements")
                        for k in range(1, criteria + 1)
                    ],
                )
            )
        parsed_blocks.append(
            ParsedBlock(
                number=b, title=f"Bloc {b} du chantier", kind="activity", competencies=items
            )
        )
    return ParsedFramework(
        title=title,
        acronym=None,
        code=None,
        level=None,
        version=None,
        validated_on=None,
        updated_on=None,
        blocks=parsed_blocks,
        transversal=[
            ParsedCompetency(
                number=1,
                title="Travailler en équipe",
                kind="transversal",
                criteria=[ParsedCriterion(text="Aide un collègue en difficulté")],
            )
        ],
    )


def make_framework(title: str, source: str = "structure", **tree):
    """An editable framework saved in the active structure (the caller activates it)."""
    from siae_app.services.frameworks import save_parsed

    return save_parsed(db.session, parsed_tree(title, **tree), source=source)


def make_import_draft(membership: Membership, title: str):
    from siae_app.services.frameworks import create_import

    return create_import(db.session, membership, "gestes.json", "structure", parsed_tree(title))
