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
