"""Accounts and memberships. Passwords use a cheap argon2 profile so tests stay fast."""

from __future__ import annotations

import factory
from argon2 import PasswordHasher

from siae_app.models import Membership, Role, User
from siae_app.models.base import utcnow
from tests.factories.base import BaseFactory
from tests.factories.structures import StructureFactory

TEST_PASSWORD = "Velo-Rouge-Sous-La-Pluie-42"
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TEST_PASSWORD_HASH = _fast.hash(TEST_PASSWORD)


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password_hash = TEST_PASSWORD_HASH
    email_verified_at = factory.LazyFunction(utcnow)


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    structure = factory.SubFactory(StructureFactory)
    structure_id = factory.SelfAttribute("structure.id")
    user = factory.SubFactory(UserFactory)
    roles = factory.LazyFunction(lambda: [Role.ETI.value])
    # An accepted, active membership (the test world); invitations are made by the service.
    is_active = True
    invited_at = factory.LazyFunction(utcnow)
    accepted_at = factory.LazyFunction(utcnow)
