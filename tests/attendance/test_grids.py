"""Week and month grids, totals, the monthly hours export and the unjustified streaks."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from siae_app import tenancy
from siae_app.services import attendance as service
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import ContractFactory, EmployeeFactory
from tests.site import text_of

MARCH = date(2025, 3, 1)


def _march_of(session, world, last_name="Exemple"):
    """A 35 h/week salarié (7 h a day) and a hand-computed March 2025 (marked by the ETI):

    3 present 7 h · 4 late 30 min → 6.5 h · 5 absent maladie · 6 absent congé ·
    7 left early 4 h  ⇒ 17.5 h (7 + 6.5 + 4), 3 days present, 2 absences,
    rate 3 / (5 − 1 congé) = 75 %.
    """
    site = world.a
    employee = EmployeeFactory(
        structure_id=site.structure.id, team_id=site.team.id, last_name=last_name
    )
    ContractFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        weekly_hours=Decimal("35"),
    )
    marks = [
        (3, {"status": "present"}),
        (4, {"status": "late", "late_minutes": 30}),
        (5, {"status": "absent", "motif": "maladie"}),
        (6, {"status": "absent", "motif": "conge"}),
        (7, {"status": "left_early", "hours_worked": Decimal("4")}),
    ]
    with tenancy.tenant_scope(session, site.structure.id):
        for day, values in marks:
            (roster,) = service.rosters(session, [site.team], date(2025, 3, day))
            mark = service.Mark(uuid.uuid4(), employee.id, **values)
            service.mark(session, site.member("eti"), roster, mark)
    session.commit()
    return employee


def test_month_grid_totals_for_the_cip(world, client_for, session):
    _march_of(session, world)
    client = client_for(world.a.member("cip"))
    page = text_of(
        client.get(f"/s/alpha/presences/grille?equipe={world.a.team.id}&date=2025-03-10")
    )
    assert "EXEMPLE Camille" in page
    assert "17,5 h" in page
    assert "Maladie : 1 · Congé : 1" in page
    assert "75 %" in page


def test_week_grid_of_a_salarie(world, client_for, session):
    employee = _march_of(session, world)
    client = client_for(world.a.member("coordinator"))
    url = f"/s/alpha/presences/salaries/{employee.id}?vue=semaine&date=2025-03-05"
    page = text_of(client.get(url))
    assert "Semaine du 3 mars 2025" in page
    assert "<strong>mercredi 5 mars</strong> : Absent·e (Maladie)" in page
    assert "17,5 h" in page


def test_direction_reads_aggregates_without_names(world, client_for, session):
    _march_of(session, world)
    client = client_for(world.a.member("director"))
    page = text_of(client.get("/s/alpha/presences/grille?date=2025-03-10"))
    assert "17,5 h" in page
    assert "EXEMPLE" not in page
    assert client.get("/s/alpha/presences/export.csv?mois=2025-03").status_code == 403


def test_monthly_hours_csv_matches_the_hand_computed_example(world, client_for, session):
    _march_of(session, world)
    _march_of(session, world, last_name="=HYPERLINK(1)")
    client = client_for(world.a.member("cip"))
    answer = client.get(f"/s/alpha/presences/export.csv?mois=2025-03&equipe={world.a.team.id}")
    assert answer.status_code == 200
    assert "attachment;" in answer.headers["Content-Disposition"]
    assert "heures-2025-03" in answer.headers["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:6] == [
        "Nom",
        "Prénom",
        "Équipe",
        "Heures travaillées",
        "Jours de présence",
        "Jours d'absence",
    ]
    by_name = {r[0]: r for r in rows[1:]}
    example = by_name["EXEMPLE"]
    assert example[2:6] == ["Équipe Nord alpha", "17,50", "3", "2"]
    assert example[6:13] == ["1", "0", "0", "1", "0", "0", "0"]
    assert example[13] == "75"
    assert "'=HYPERLINK(1)" in by_name


def test_monthly_hours_xlsx_matches_the_hand_computed_example(world, client_for, session):
    _march_of(session, world)
    client = client_for(world.a.member("coordinator"))
    answer = client.get("/s/alpha/presences/export.xlsx?mois=2025-03")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["EXEMPLE"][3:6] == (17.5, 3, 2)
    assert rows["EXEMPLE"][13] == 75


def test_unjustified_streaks(world, session):
    site = world.a
    ids = {"structure_id": site.structure.id, "team_id": site.team.id}
    unjustified = {"status": "absent", "motif": "injustifiee", "hours_worked": 0}
    days = [date(2025, 3, d) for d in (3, 4, 5, 6, 7)]
    AttendanceFactory(employee_id=site.employee.id, day=days[0], **ids, **unjustified)
    AttendanceFactory(employee_id=site.employee.id, day=days[1], **ids)
    for day in days[2:]:
        AttendanceFactory(employee_id=site.employee.id, day=day, **ids, **unjustified)
    AttendanceFactory(employee_id=site.other_employee.id, day=days[0], **ids, **unjustified)
    AttendanceFactory(employee_id=site.other_employee.id, day=days[1], **ids)
    with tenancy.tenant_scope(session, site.structure.id):
        streaks = service.unjustified_streaks(
            session, [site.employee.id, site.other_employee.id, uuid.uuid4()]
        )
    assert streaks[site.employee.id] == 3
    assert streaks[site.other_employee.id] == 0
    assert len(streaks) == 3
    # The alerts ask for streaks of 3 or more: the other salarié has 4 unjustified absences
    # in all (kept by the first filter) but 1 in a row since their latest other mark.
    both = [site.employee.id, site.other_employee.id]
    AttendanceFactory(employee_id=site.other_employee.id, day=days[2], **ids, **unjustified)
    AttendanceFactory(employee_id=site.other_employee.id, day=days[3], **ids, **unjustified)
    AttendanceFactory(employee_id=site.other_employee.id, day=days[4], **ids)
    AttendanceFactory(
        employee_id=site.other_employee.id, day=date(2025, 3, 10), **ids, **unjustified
    )
    with tenancy.tenant_scope(session, site.structure.id):
        assert service.unjustified_streaks_among(session, both) == {
            site.employee.id: 3,
            site.other_employee.id: 1,
        }
        assert service.unjustified_streaks_among(session, both, at_least=3) == {site.employee.id: 3}
        assert service.unjustified_streaks_among(session, both, at_least=4) == {}
    # Back the next day: five unjustified absences in all, none in a row any more.
    AttendanceFactory(employee_id=site.other_employee.id, day=date(2025, 3, 11), **ids)
    with tenancy.tenant_scope(session, site.structure.id):
        assert service.unjustified_streaks_among(session, both) == {site.employee.id: 3}


def test_roster_and_month_grid_query_counts_do_not_grow(world, client_for, session):
    from tests.factories.employees import make_employee
    from tests.querycount import count_queries

    site = world.a
    eti, coordinator = client_for(site.member("eti")), client_for(site.member("coordinator"))
    roster = f"/s/alpha/presences/equipes/{site.team.id}"
    grid = f"/s/alpha/presences/grille?equipe={site.team.id}"
    eti.get(roster)
    coordinator.get(grid)
    with count_queries() as roster_small:
        eti.get(roster)
    with count_queries() as grid_small:
        coordinator.get(grid)
    for n in range(5):
        employee = make_employee(site.structure.id, site.team, last_name=f"Grille{n}")
        for day in {date.today().replace(day=1), date.today()}:
            AttendanceFactory(
                structure_id=site.structure.id,
                employee_id=employee.id,
                team_id=site.team.id,
                day=day,
            )
    with count_queries() as roster_big:
        assert "GRILLE4" in text_of(eti.get(roster))
    with count_queries() as grid_big:
        assert "GRILLE4" in text_of(coordinator.get(grid))
    assert roster_big.count == roster_small.count
    assert grid_big.count == grid_small.count
