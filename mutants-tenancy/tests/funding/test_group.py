"""A person who pilots two structures sees them side by side, each under its own tenant,
and their sum; a person who pilots one sees only a pointer to its dashboard."""

from __future__ import annotations

from datetime import date

from siae_app.models import Role
from siae_app.services.funding import group
from tests import factories as f
from tests.site import text_of

YEAR = date.today().year


def _director_of_both(world):
    user = f.UserFactory(email="direction.groupe@example.org")
    for site in (world.a, world.b):
        f.MembershipFactory(structure=site.structure, roles=[Role.DIRECTOR.value], user=user)
    return user


def test_both_structures_and_their_sum(world, client_for, session):
    user = _director_of_both(world)
    session.commit()
    client = client_for(user)
    page = client.get(f"/s/{world.a.slug}/pilotage/groupe?annee={YEAR}")
    assert page.status_code == 200
    text = text_of(page)
    assert world.a.structure.name in text and world.b.structure.name in text
    assert "Ensemble" in text
    assert world.a.employee.display_name not in text  # numbers only


def test_the_sum_adds_counts_and_recomputes_rates():
    a = {
        "people_served": 10,
        "entries": 4,
        "exits_counted": 4,
        "hours_paid": 1000.5,
        "etp_conventioned": 2.0,
        "etp_consumed": 0.55,
        "exits": {"durable": 1, "transition": 1, "positive": 0, "other": 2, "not_counted": 1},
    }
    b = {
        "people_served": 5,
        "entries": 2,
        "exits_counted": 1,
        "hours_paid": 99.5,
        "etp_conventioned": 1.5,
        "etp_consumed": 0.05,
        "exits": {"durable": 1, "transition": 0, "positive": 0, "other": 0, "not_counted": 0},
    }
    total = group.total([group.Column("A", a), group.Column("B", b)])
    assert total["people_served"] == 15
    assert total["hours_paid"] == 1100.0
    assert total["etp_conventioned"] == 3.5
    assert total["exits"]["durable"] == 2
    assert total["exits_counted"] == 5
    assert total["dynamic_exit_rate"] == 0.6  # (2 + 1 + 0) / 5, not the mean of 0.5 and 1
    assert total["durable_exit_rate"] == 0.4


def test_a_coordinator_of_one_structure_gets_a_pointer(world, client_for):
    client = client_for(world.a.member("coordinator"))
    text = text_of(client.get(f"/s/{world.a.slug}/pilotage/groupe"))
    assert "Vous pilotez une seule structure" in text
    assert world.b.structure.name not in text


def test_a_structure_where_the_person_is_only_cip_is_not_shown(world, client_for, session):
    user = f.UserFactory(email="mixte@example.org")
    f.MembershipFactory(structure=world.a.structure, roles=[Role.DIRECTOR.value], user=user)
    f.MembershipFactory(structure=world.b.structure, roles=[Role.CIP.value], user=user)
    session.commit()
    text = text_of(client_for(user).get(f"/s/{world.a.slug}/pilotage/groupe"))
    assert "Vous pilotez une seule structure" in text
    assert world.b.structure.name not in text
