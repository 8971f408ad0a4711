"""The direction's dashboard: its figures on the hand-computed structure, the page and the
lists behind its figures, and a number of queries that does not grow with the salariés."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from siae_app import tenancy
from siae_app.models import PreviousStay
from siae_app.models.accounts import Role
from siae_app.services.employees import exit_followups
from siae_app.services.funding import dashboard, roster
from tests.factories.accounts import MembershipFactory
from tests.factories.employees import (
    EmployeeFactory,
    PassExtensionFactory,
    PassSuspensionFactory,
    make_employee,
)
from tests.factories.reviews import ReviewFactory
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


def _situation(session, employee, kind, reason, checked):
    values = {"exit_date": employee.exit_date, "checked_on": checked, "kind": kind}
    exit_followups.record(session, None, employee, {**values, "reason": reason}, date(2026, 2, 1))


def test_situation_six_months_after_the_sorties_by_hand(small, session, client_for):
    """2025's four sorties (Alice, Chloé, David, Farid): Alice in a CDI, Chloé in a CDD of
    6 months (both emploi durable), Farid in a qualifying training (sortie positive), David
    could not be reached. Known: 3 of 4; durable 2/3 = 66,7 %, transition 0 %, positive
    1/3 = 33,3 %. The queries do not grow with the sorties and their situations."""
    people = small.people
    with count_queries() as before:
        board = dashboard.build(session, small.structure, 2025, date(2026, 1, 31))
    assert board.situations == dashboard.Situations(
        0, 4, (("Emploi durable", None), ("Emploi de transition", None), ("Sortie positive", None))
    )
    tenancy.activate_system(session)
    _situation(session, people["alice"], "emploi_durable", "cdi", date(2026, 1, 5))
    _situation(session, people["chloe"], "emploi_durable", "cdd_6m_plus", date(2025, 12, 22))
    training = "formation_qualifiante"
    _situation(session, people["farid"], "sortie_positive", training, date(2026, 1, 30))
    _situation(session, people["david"], "injoignable", "", date(2025, 8, 1))
    tenancy.activate(session, small.structure.id)
    with count_queries() as after:
        board = dashboard.build(session, small.structure, 2025, date(2026, 1, 31))
    assert after.count == before.count
    assert (board.situations.known, board.situations.sorties) == (3, 4)
    assert board.situations.shares == (
        ("Emploi durable", 0.6667),
        ("Emploi de transition", 0.0),
        ("Sortie positive", 0.3333),
    )
    # 2024 had no sortie: nothing to follow.
    earlier = dashboard.build(session, small.structure, 2024, date(2026, 1, 31))
    assert earlier.situations.sorties == 0

    tenancy.activate_system(session)
    director = MembershipFactory(structure=small.structure, roles=[Role.DIRECTOR.value])
    client = client_for(director)
    text = text_of(client.get(f"/s/{small.structure.slug}/pilotage?annee=2025"))
    assert "Situation à 6 mois connue : 3 sur 4 sorties" in text
    assert "<dt>Emploi durable</dt><dd>66,7 %</dd>" in text
    assert "<dt>Emploi de transition</dt><dd>0 %</dd>" in text
    assert "<dt>Sortie positive</dt><dd>33,3 %</dd>" in text
    text = text_of(client.get(f"/s/{small.structure.slug}/pilotage?annee=2024"))
    assert "Aucune sortie en 2024 : pas de situation à 6 mois à suivre." in text


def _full_file(session, structure, name: str):
    """A salarié present today with everything the dashboard reads: a return after an
    earlier stay, a contract, a PASS suspended and extended, a bilan."""
    employee = make_employee(structure.id, last_name=name)
    session.add(
        PreviousStay(
            structure_id=structure.id,
            employee_id=employee.id,
            entry_date=date(2023, 1, 2),
            exit_date=date(2023, 12, 29),
            exit_kind="autre",
        )
    )
    pass_iae = employee.passes[0]
    PassSuspensionFactory(structure_id=structure.id, pass_id=pass_iae.id)
    PassExtensionFactory(structure_id=structure.id, pass_id=pass_iae.id)
    ReviewFactory(structure_id=structure.id, employee_id=employee.id, kind="integration")
    return employee


def test_build_queries_do_not_grow_with_the_salaries(small, session):
    """The lists behind the figures (``build``) at two sizes: the same queries."""
    today = date.today()
    with count_queries() as before:
        board = dashboard.build(session, small.structure, today.year, today)
    served = len(board.people["served"])
    tenancy.activate_system(session)
    for i in range(5):
        _full_file(session, small.structure, f"Ajout{i}")
    session.flush()
    tenancy.activate(session, small.structure.id)
    with count_queries() as after:
        board = dashboard.build(session, small.structure, today.year, today)
    assert len(board.people["served"]) == served + 5
    assert {e.last_name for e in board.people["in_parcours"]} >= {f"Ajout{i}" for i in range(5)}
    assert after.count == before.count


def test_only_the_salaries_who_may_count_are_read(small, session):
    """A salarié gone before the year is not read; the figures stay the same. A sortie of the
    year with no entry date is read (and counted apart, its stay unknown)."""
    today = date(2025, 12, 31)
    before = dashboard.summarize(dashboard.build(session, small.structure, 2025, today))
    tenancy.activate_system(session)
    gone = make_employee(
        small.structure.id,
        entry_date=date(2019, 1, 7),
        exit_date=date(2020, 6, 30),
        exit_kind="autre",
    )
    unknown_stay = EmployeeFactory(
        structure_id=small.structure.id,
        first_name="Sans date",
        entry_date=None,
        exit_date=date(2025, 3, 3),
        exit_kind="autre",
    )
    session.flush()
    tenancy.activate(session, small.structure.id)
    read = {p.id for p in roster.read(session, date(2025, 1, 1), today)}
    assert gone.id not in read
    assert unknown_stay.id in read and small.people["david"].id in read
    after = dashboard.summarize(dashboard.build(session, small.structure, 2025, today))
    assert after.count("exits_not_counted") == before.count("exits_not_counted") + 1
    assert after.figures["exits"]["not_counted"] == before.figures["exits"]["not_counted"] + 1
    assert after.figures["people_served"] == before.figures["people_served"]
    assert after.counts["served"] == before.counts["served"]
