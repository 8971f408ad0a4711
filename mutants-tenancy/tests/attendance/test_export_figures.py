"""The month's figures checked against months computed by hand, each including the month's
last day (31 January, 28 and 29 February, 30 April) and a mark on the day after it and on the
day before the first, which must not count; a part-time month (20 h a week, marked through the
service: 4 h a day); a salarié who changed team during the month; the grid and the exports
filtered by team with marks in two teams.

Every expected number is a literal, with its arithmetic in a comment.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from siae_app import tenancy
from siae_app.services import attendance as service
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import ContractFactory, EmployeeFactory
from tests.site import text_of

# Motif columns of the export, in ABSENCE_MOTIFS order: maladie, justifiée, injustifiée,
# congé, formation, rendez-vous partenaire, PMSMP.
MOTIF_COLUMNS = slice(6, 13)


def _person(site, team, last_name, weekly="35", start=date(2024, 1, 1), end=date(2025, 12, 31)):
    employee = EmployeeFactory(
        structure_id=site.structure.id, team_id=team.id, last_name=last_name, first_name="Alex"
    )
    ContractFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(weekly),
    )
    return employee


def _marks(site, employee, team, marks):
    """Stored marks: (day, hours, status, motif)."""
    for day, hours, status, motif in marks:
        AttendanceFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            team_id=team.id,
            day=day,
            hours_worked=Decimal(hours),
            status=status,
            motif=motif,
        )


P, A = "present", "absent"


@pytest.fixture
def months(world, session):
    """The hand-computed months of structure A (teams Nord and Sud)."""
    site = world.a
    nord, sud = site.team, site.other_team
    people = {}

    # JANVIER, team Nord, January 2025 (31 days):
    #   02/01 7 h · 15/01 late 6,5 h · 30/01 absent maladie · 31/01 7 h
    #   ⇒ 20,5 h (7 + 6,5 + 7), 3 days present, 1 absence, rate 3 / 4 = 75 %.
    #   31/12/2024 and 01/02/2025 (8 h each) are outside the month.
    people["janvier"] = e = _person(site, nord, "Janvier")
    _marks(
        site,
        e,
        nord,
        [
            (date(2024, 12, 31), "8", P, None),
            (date(2025, 1, 2), "7", P, None),
            (date(2025, 1, 15), "6.5", "late", None),
            (date(2025, 1, 30), "0", A, "maladie"),
            (date(2025, 1, 31), "7", P, None),
            (date(2025, 2, 1), "8", P, None),
        ],
    )

    # FEVRIER, team Nord.
    # February 2024 (29 days): 01/02 4 h · 29/02 5,5 h ⇒ 9,5 h, 2 days, no absence, 100 %.
    #   31/01/2024 and 01/03/2024 (8 h each) are outside.
    # February 2025 (28 days): 03/02 6 h · 27/02 absent congé · 28/02 6,25 h
    #   ⇒ 12,25 h (6 + 6,25), 2 days, 1 absence (congé, not due): rate 2 / (3 − 1) = 100 %.
    #   01/03/2025 (8 h) is outside.
    people["fevrier"] = e = _person(site, nord, "Fevrier")
    _marks(
        site,
        e,
        nord,
        [
            (date(2024, 1, 31), "8", P, None),
            (date(2024, 2, 1), "4", P, None),
            (date(2024, 2, 29), "5.5", P, None),
            (date(2024, 3, 1), "8", P, None),
            (date(2025, 2, 3), "6", P, None),
            (date(2025, 2, 27), "0", A, "conge"),
            (date(2025, 2, 28), "6.25", P, None),
            (date(2025, 3, 1), "8", P, None),
        ],
    )

    # AVRIL, part time (20 h a week ⇒ 20 / 5 = 4 h a day), team Nord, April 2025 (30 days),
    # marked through the service with the contract's default hours:
    #   01/04 present 4 h · 02/04 late 30 min ⇒ 4 − 0,5 = 3,5 h · 29/04 absent injustifiée ·
    #   30/04 present 4 h ⇒ 11,5 h, 3 days, 1 absence, rate 3 / 4 = 75 %.
    #   01/05/2025 (4 h) is outside.
    people["avril"] = e = _person(
        site, nord, "Avril", weekly="20", start=date(2025, 4, 1), end=date(2025, 9, 30)
    )
    with tenancy.tenant_scope(session, site.structure.id):
        for day, values in [
            (1, {"status": P}),
            (2, {"status": "late", "late_minutes": 30}),
            (29, {"status": A, "motif": "injustifiee"}),
            (30, {"status": P}),
        ]:
            (roster,) = service.rosters(session, [nord], date(2025, 4, day))
            service.mark(
                session, site.member("eti"), roster, service.Mark(uuid.uuid4(), e.id, **values)
            )
    _marks(site, e, nord, [(date(2025, 5, 1), "4", P, None)])

    # MOBILE changed team in April 2025: in Nord 01/04 7 h · 02/04 7 h · 03/04 absent
    # justifiée; then in Sud (their team now) 29/04 7 h · 30/04 6 h.
    #   Whole month: 27 h (7 + 7 + 7 + 6), 4 days, 1 absence, rate 4 / 5 = 80 %.
    #   In Nord: 14 h, 2 days, 1 absence, rate 2 / 3 = 66,7 → 67 %.
    #   In Sud: 13 h, 2 days, no absence, 100 %.
    people["mobile"] = e = _person(site, sud, "Mobile")
    _marks(
        site,
        e,
        nord,
        [
            (date(2025, 4, 1), "7", P, None),
            (date(2025, 4, 2), "7", P, None),
            (date(2025, 4, 3), "0", A, "justifiee"),
        ],
    )
    _marks(site, e, sud, [(date(2025, 4, 29), "7", P, None), (date(2025, 4, 30), "6", P, None)])

    # SUDSEUL, team Sud only: 15/04 7 h ⇒ 7 h, 1 day, 100 %.
    people["sudseul"] = e = _person(site, sud, "Sudseul")
    _marks(site, e, sud, [(date(2025, 4, 15), "7", P, None)])

    # Structure B has a salarié with the same name and marks in April: never counted in A.
    b = world.b
    other = _person(b, b.team, "Mobile")
    _marks(b, other, b.team, [(date(2025, 4, 30), "9", P, None)])
    session.commit()
    return people


def _csv(client, month: str, team=None) -> dict[str, list[str]]:
    query = f"mois={month}" + (f"&equipe={team.id}" if team else "")
    answer = client.get(f"/s/alpha/presences/export.csv?{query}")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return {r[0]: r for r in rows[1:]}


def _xlsx(client, month: str, team=None) -> dict[str, tuple]:
    query = f"mois={month}" + (f"&equipe={team.id}" if team else "")
    answer = client.get(f"/s/alpha/presences/export.xlsx?{query}")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.a.member("coordinator"))


def test_month_boundaries():
    assert service.month_of(date(2025, 1, 17)) == (date(2025, 1, 1), date(2025, 1, 31))
    assert service.month_of(date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert service.month_of(date(2025, 2, 1)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert service.month_of(date(2025, 4, 30)) == (date(2025, 4, 1), date(2025, 4, 30))
    assert service.month_of(date(2025, 12, 31)) == (date(2025, 12, 1), date(2025, 12, 31))
    # 30/04/2025 is a Wednesday: its week runs from Monday 28/04 to Sunday 04/05.
    assert service.week_of(date(2025, 4, 30)) == (date(2025, 4, 28), date(2025, 5, 4))
    assert service.week_of(date(2025, 5, 4)) == (date(2025, 4, 28), date(2025, 5, 4))


def test_january_counts_the_31st_csv_and_xlsx(months, coordinator):
    row = _csv(coordinator, "2025-01")["JANVIER"]
    assert row[1:6] == ["Alex", "Équipe Nord alpha", "20,50", "3", "1"]
    assert row[MOTIF_COLUMNS] == ["1", "0", "0", "0", "0", "0", "0"]
    assert row[13] == "75"
    sheet_row = _xlsx(coordinator, "2025-01")["JANVIER"]
    assert sheet_row[3:6] == (20.5, 3, 1) and sheet_row[13] == 75


def test_february_counts_the_29th_of_a_leap_year_and_the_28th(months, coordinator):
    leap = _csv(coordinator, "2024-02")["FEVRIER"]
    assert leap[3:6] == ["9,50", "2", "0"] and leap[13] == "100"
    common = _csv(coordinator, "2025-02")["FEVRIER"]
    assert common[3:6] == ["12,25", "2", "1"]
    assert common[MOTIF_COLUMNS] == ["0", "0", "0", "1", "0", "0", "0"]
    assert common[13] == "100"
    assert _xlsx(coordinator, "2024-02")["FEVRIER"][3:6] == (9.5, 2, 0)
    assert _xlsx(coordinator, "2025-02")["FEVRIER"][3:6] == (12.25, 2, 1)
    # JANVIER's 01/02/2025 (8 h) is February's: 8 h, 1 day.
    assert _csv(coordinator, "2025-02")["JANVIER"][3:6] == ["8,00", "1", "0"]


def test_april_part_time_and_a_change_of_team(months, coordinator):
    rows = _csv(coordinator, "2025-04")
    assert rows["AVRIL"][3:6] == ["11,50", "3", "1"]
    assert rows["AVRIL"][MOTIF_COLUMNS] == ["0", "0", "1", "0", "0", "0", "0"]
    assert rows["AVRIL"][13] == "75"
    # The team column says the team the salarié is in now.
    assert rows["MOBILE"][2:6] == ["Équipe Sud alpha", "27,00", "4", "1"]
    assert rows["MOBILE"][MOTIF_COLUMNS] == ["0", "1", "0", "0", "0", "0", "0"]
    assert rows["MOBILE"][13] == "80"
    assert rows["SUDSEUL"][3:6] == ["7,00", "1", "0"]
    sheet = _xlsx(coordinator, "2025-04")
    assert sheet["AVRIL"][3:6] == (11.5, 3, 1) and sheet["AVRIL"][13] == 75
    assert sheet["MOBILE"][3:6] == (27, 4, 1) and sheet["MOBILE"][13] == 80


def test_the_export_filtered_by_team_counts_the_days_in_that_team(world, months, coordinator):
    nord = _csv(coordinator, "2025-04", world.a.team)
    assert set(nord) >= {"AVRIL", "MOBILE"} and "SUDSEUL" not in nord
    assert nord["MOBILE"][3:6] == ["14,00", "2", "1"] and nord["MOBILE"][13] == "67"
    assert nord["AVRIL"][3:6] == ["11,50", "3", "1"]
    sud = _csv(coordinator, "2025-04", world.a.other_team)
    assert set(sud) >= {"MOBILE", "SUDSEUL"} and "AVRIL" not in sud
    assert sud["MOBILE"][3:6] == ["13,00", "2", "0"] and sud["MOBILE"][13] == "100"
    xlsx_nord = _xlsx(coordinator, "2025-04", world.a.team)
    assert xlsx_nord["MOBILE"][3:6] == (14, 2, 1) and xlsx_nord["MOBILE"][13] == 67


def _grid_line(page: str, name: str) -> list[str]:
    """The cells of a salarié's line in the month grid: the days, then hours, abs., rate."""
    line = re.search(rf'<th scope="row"><a [^>]*>{name} Alex</a></th>(.*?)</tr>', page, re.S)
    assert line, f"{name} not in the grid"
    return re.findall(r"<td>(.*?)</td>", line.group(1), re.S)


def _totals(page: str) -> dict[str, str]:
    block = page.split('<dl class="facts att-totals">', 1)[1].split("</dl>", 1)[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block))


def test_the_grid_filtered_by_team_with_marks_in_two_teams(world, months, coordinator):
    nord = text_of(
        coordinator.get(f"/s/alpha/presences/grille?equipe={world.a.team.id}&date=2025-04-10")
    )
    assert "SUDSEUL" not in nord
    mobile = _grid_line(nord, "MOBILE")
    assert len(mobile) == 30 + 3  # 30 days of April, then the line's totals
    # Days 1, 2 (7 h) and 3 (absent) in Nord; 29 and 30 were worked in Sud: empty here.
    assert mobile[0:2] == ["7", "7"] and "A</abbr>" in mobile[2]
    assert mobile[28:30] == ["", ""]
    assert mobile[30:] == ["14", "1", "67 %"]
    avril = _grid_line(nord, "AVRIL")
    assert avril[0:2] == ["4", "3,5"] and avril[29] == "4"
    assert avril[30:] == ["11,5", "1", "75 %"]
    # Team Nord in April: 11,5 + 14 = 25,5 h; 3 + 2 = 5 days; absences injustifiée 1 and
    # justifiée 1; rate 5 / 7 = 71,4 → 71 %.
    assert _totals(nord) == {
        "Heures travaillées": "25,5 h",
        "Jours de présence": "5",
        "Absences": "Absence justifiée : 1 · Absence injustifiée : 1",
        "Taux d'assiduité": "71 %",
    }
    sud = text_of(
        coordinator.get(f"/s/alpha/presences/grille?equipe={world.a.other_team.id}&date=2025-04-10")
    )
    assert "AVRIL" not in sud
    mobile = _grid_line(sud, "MOBILE")
    assert mobile[0:3] == ["", "", ""] and mobile[28:30] == ["7", "6"]
    assert mobile[30:] == ["13", "0", "100 %"]
    # Team Sud in April: 13 + 7 = 20 h, 3 days, no absence, 100 %.
    assert _totals(sud) == {
        "Heures travaillées": "20 h",
        "Jours de présence": "3",
        "Absences": "aucune",
        "Taux d'assiduité": "100 %",
    }


def test_the_structure_grid_of_april(months, coordinator):
    page = text_of(coordinator.get("/s/alpha/presences/grille?date=2025-04-30"))
    assert _grid_line(page, "MOBILE")[30:] == ["27", "1", "80 %"]
    # Structure A in April: 11,5 + 27 + 7 = 45,5 h; 3 + 4 + 1 = 8 days; 2 absences
    # (injustifiée, justifiée): rate 8 / 10 = 80 %. Structure B's 9 h are not counted.
    assert _totals(page) == {
        "Heures travaillées": "45,5 h",
        "Jours de présence": "8",
        "Absences": "Absence justifiée : 1 · Absence injustifiée : 1",
        "Taux d'assiduité": "80 %",
    }


def test_the_january_grid_shows_the_31st(months, coordinator):
    page = text_of(coordinator.get("/s/alpha/presences/grille?date=2025-01-31"))
    janvier = _grid_line(page, "JANVIER")
    assert len(janvier) == 31 + 3
    assert janvier[30] == "7" and janvier[33] == "75 %"
    assert janvier[31] == "20,5"
