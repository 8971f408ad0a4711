"""The world built once per session (tests/world_db.py): each test gets objects of its own,
and a test that does not ask for the world sees an empty database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from siae_app.models import Structure, User
from tests.world_db import Worlds


def test_a_test_gets_its_own_objects_and_leaves_the_built_ones_as_they_were(
    world, world_db, session
):
    built = world_db.pristine
    assert world.a.structure is not built.a.structure
    assert inspect(built.a.structure).detached
    world.a.structure.name = "ACI Alpha renommée"
    world.a.member("eti").user.first_name = "Autre"
    session.flush()
    assert built.a.structure.name == "ACI Alpha"
    assert built.a.member("eti").user.first_name != "Autre"
    # One object per row in the test's session: what the test reads is what it changed.
    assert session.get(Structure, built.a.structure.id) is world.a.structure
    eti = world.a.member("eti")
    assert session.get(User, eti.user_id) is eti.user
    assert session.scalar(select(Structure.name).where(Structure.slug == "alpha")) == (
        "ACI Alpha renommée"
    )


def test_both_structures_of_the_world_are_in_its_database(world, session):
    slugs = session.scalars(select(Structure.slug).order_by(Structure.slug)).all()
    assert slugs == ["alpha", "beta"]
    assert world.b.structure.name == "Recyclerie Bêta"


def test_a_test_without_the_world_sees_none_of_it(session):
    assert session.scalar(select(func.count()).select_from(Structure)) == 0


@pytest.mark.no_db
def test_a_suite_running_past_midnight_builds_the_world_again():
    """The world's dates count from the day it was built: the next day gets a new one, and
    the old one's database is dropped."""
    days = iter([date(2026, 12, 6), date(2026, 12, 6), date(2026, 12, 7)])
    made, dropped = [], []

    def make():
        made.append(object())
        return made[-1]

    worlds = Worlds(make, dispose=dropped.append, today=lambda: next(days))
    first = worlds.of_today()
    assert worlds.of_today() is first and len(made) == 1
    second = worlds.of_today()
    assert second is not first and dropped == [first]
    worlds.close()
    assert dropped == [first, second]
