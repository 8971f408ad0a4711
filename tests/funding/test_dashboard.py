"""The direction's dashboard: its figures on the hand-computed structure, the page and the
lists behind its figures, and a number of queries that does not grow with the salariés."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from siae_app import tenancy
from siae_app.services.funding import dashboard
from tests.factories.employees import make_employee
from tests.funding.small_structure import build_small
from tests.querycount import count_queries
from tests.site import text_of


@pytest.fixture
def small(session):
    built = build_small(session)
    tenancy.activate(session, built.structure.id)
    return built


def _names(people):
    return sorted(e.first_name for e in people)


def test_dashboard_of_the_hand_computed_year(small, session):
    board = dashboard.build(session, small.structure, 2025, date(2025, 12, 31))
    # On 31 December 2025: Farid left on 28 November, the others of 2025 earlier.
    assert _names(board.people["in_parcours"]) == ["Bruno", "Emma", "Gaëlle"]
    # December: Bruno 112.67 + Emma 130 + Gaëlle 112.67 (whatever their annex).
    assert board.hours_this_month == Decimal("355.34")
    assert _names(board.people["entries"]) == ["Bruno", "Chloé", "Emma", "Farid", "Gaëlle"]
    assert _names(board.people["exits_durable"]) == ["Alice"]
    assert _names(board.people["exits_positive"]) == ["David"]
    assert _names(board.people["exits_other"]) == ["Farid"]
    assert _names(board.people["exits_not_counted"]) == ["Chloé"]
    assert board.people["exits_transition"] == []
    assert _names(board.people["exits_counted"]) == ["Alice", "David", "Farid"]
    assert len(board.people["served"]) == board.figures["people_served"] == 7
    assert board.targets == small.aci  # the ACI annex's targets: an ACI structure
    assert [a.annex for a in board.annexes] == [small.ei, small.aci]
    assert board.figures["dynamic_exit_rate"] == 0.6667


def test_the_page_states_the_figures_and_links_to_the_people(world, client_for):
    client = client_for(world.a.member("director"))
    page = client.get(f"/s/{world.a.slug}/pilotage")
    assert page.status_code == 200
    text = text_of(page)
    for words in (
        "En parcours",
        "Taux de sorties dynamiques",
        "ETP consommés par annexe financière",
        f"ACI {date.today().year}",
        "Bilans en retard",
    ):
        assert words in text
    assert world.a.employee.display_name not in text  # numbers only on the dashboard
    listed = client.get(f"/s/{world.a.slug}/pilotage/salaries?indicateur=in_parcours")
    assert listed.status_code == 200
    assert world.a.employee.display_name in text_of(listed)
    assert world.b.employee.display_name not in text_of(listed)
    assert client.get(f"/s/{world.a.slug}/pilotage/salaries?indicateur=x").status_code == 404


def test_dashboard_queries_do_not_grow_with_the_salaries(world, client_for, session):
    client = client_for(world.a.member("director"))
    url = f"/s/{world.a.slug}/pilotage"
    client.get(url)
    with count_queries() as before:
        client.get(url)
    for i in range(6):
        make_employee(world.a.structure.id, world.a.team, last_name=f"Ajout{i}")
    session.commit()
    with count_queries() as after:
        assert client.get(url).status_code == 200
    assert after.count == before.count
