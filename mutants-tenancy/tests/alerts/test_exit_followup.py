"""« Situation à 6 mois » after a sortie: grey from M+5, amber at M+6, red at M+7 (until M+12),
for the salarié's référent; exited salariés are loaded for it in the same queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from siae_app.models import Employee, ExitFollowup
from siae_app.services.alerts import AMBER, GREY, RED, Inputs, compute
from siae_app.services.employees.dates import add_months
from tests import factories as f
from tests.querycount import count_queries
from tests.site import text_of

LEFT = date(2025, 9, 10)  # M+5: 10/02/2026, M+6: 10/03/2026, M+7: 10/04/2026, M+12: 10/09/2026


def _colours(today: date, followed_up: bool = False) -> dict[str, str]:
    employee = Employee(last_name="Test", first_name="Alex", exit_date=LEFT)
    data = Inputs(employee=employee, followed_up=followed_up)  # no appointment, no diagnostic
    return {a.kind: a.colour for a in compute(data, today)}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 9), {}),  # the day before M+5
        (date(2026, 2, 10), {"situation_6_mois": GREY}),  # M+5
        (date(2026, 3, 9), {"situation_6_mois": GREY}),
        (date(2026, 3, 10), {"situation_6_mois": AMBER}),  # M+6
        (date(2026, 4, 9), {"situation_6_mois": AMBER}),
        (date(2026, 4, 10), {"situation_6_mois": RED}),  # M+7: late
        (date(2026, 9, 10), {"situation_6_mois": RED}),  # M+12, the last day
        (date(2026, 9, 11), {}),  # the reminder stops
    ],
)
def test_colours_on_both_sides_of_each_limit(today, expected):
    # Only this rule reads a salarié who left: no « rendez-vous à fixer », no diagnostic.
    assert _colours(today) == expected


def test_a_recorded_situation_ends_the_alert():
    assert _colours(date(2026, 4, 10), followed_up=True) == {}


def test_messages_say_what_to_do():
    employee = Employee(last_name="Test", first_name="Alex", exit_date=LEFT)
    [amber] = compute(Inputs(employee=employee), date(2026, 3, 10))
    assert amber.message == "Situation à 6 mois à recueillir (sortie le 10/09/2025)"
    [red] = compute(Inputs(employee=employee), date(2026, 4, 10))
    assert red.message == "Situation à 6 mois en retard : attendue depuis le 10/03/2026"


def _left(site, months_ago: int, name: str):
    employee = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=name)
    employee.exit_date = add_months(date.today(), -months_ago) - timedelta(days=1)
    employee.exit_kind, employee.exit_reason = "autre", "demandeur_emploi"
    return employee


def test_the_referent_sees_it_until_it_is_recorded(world, client_for, session):
    site = world.a
    pending = _left(site, 6, "Partie")
    # M+4: the documents of the sortie are no longer reminded (3 months) and the situation is
    # not asked for yet: not on the list.
    _left(site, 4, "Recente")
    session.commit()
    url = f"/s/{site.slug}/alertes/"
    html = text_of(client_for(site.member("cip")).get(url))
    assert "Situation à 6 mois à recueillir" in html
    assert pending.display_name in html
    assert "RECENTE" not in html
    other_cip = f.MembershipFactory(
        structure=site.structure, roles=["cip"], user=f.UserFactory(email="cip3@example.org")
    )
    assert pending.display_name not in text_of(client_for(other_cip).get(url))
    session.add(
        ExitFollowup(
            structure_id=site.structure.id,
            employee_id=pending.id,
            exit_date=pending.exit_date,
            checked_on=date.today(),
            kind="injoignable",
        )
    )
    session.commit()
    html = text_of(client_for(site.member("cip")).get(url))
    assert "Situation à 6 mois" not in html and pending.display_name not in html


def test_exited_salaries_add_no_query(world, client_for, session):
    site = world.a
    client = client_for(site.member("coordinator"))
    client.get(f"/s/{site.slug}/alertes/")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(f"/s/{site.slug}/alertes/").status_code == 200
        return counter.count

    _left(site, 6, "Premiere")
    session.commit()
    before = queries()
    for n in range(4):
        _left(site, 6 + n % 2, f"Sortie{n}")
    session.commit()
    assert queries() == before
