"""The chantier's screens in a fixed, small number of queries (bench/chantier.py measures
their time): the signed-in structure path (user, then structure and membership together once
the structure was opened), then the screen's own reads, never one per team or per salarié."""

from __future__ import annotations

import re
import uuid

from tests.factories.employees import make_employee
from tests.factories.teams import TeamFactory, TeamSupervisorFactory
from tests.querycount import count_queries
from tests.site import text_of

# user (Flask-Login), the structure with the active membership (each test opens the page once
# before counting, so that the structure is known: tests/test_request_path.py)
SIGNED_IN_PATH = 2


def _own(counter) -> list[str]:
    """The statements of the screen itself (not BEGIN/COMMIT nor the signed-in path)."""
    sql = [s for s in counter.statements if not s.strip().upper().startswith(("BEGIN", "COMMIT"))]
    return sql[SIGNED_IN_PATH:]


def test_roster_reads_its_team_and_markable_flag_in_one_query(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    url = f"/s/alpha/presences/equipes/{site.team.id}"
    client.get(url)
    with count_queries() as counter:
        page = client.get(url)
    assert page.status_code == 200
    assert "Tous présents" in text_of(page)  # the ETI may mark: the flag came with the team
    html = page.get_data(as_text=True)
    employee = site.employee.id
    assert f'href="/s/alpha/salaries/{employee}/observations"' in html
    assert "00000000-0000" not in html
    # The motifs once, in the roster's « Absent » panel, whatever the number of rows; the
    # urgent report's link of a row is made from the « … » panel's (chantier.js).
    motif = '<button type="submit" name="motif" value="maladie" class="button">Maladie</button>'
    assert html.count(motif) == 1
    assert html.count('name="employee_id"') == len(re.findall(r'<li class="att-row', html)) + 2
    assert 'data-report="/s/alpha/urgences/salaries/{id}/signaler"' in html
    opened = client.get(f"{url}?salarie={employee}").get_data(as_text=True)
    assert f'href="/s/alpha/urgences/salaries/{employee}/signaler"' in opened  # without script
    # the team with « may mark », the salariés expected, their marks of the day, their
    # immersions that day, the competencies of the observation panel and their recent
    # citations (the suite keeps no cache: in production, counted once in ten minutes)
    assert len(_own(counter)) == 6
    # observation, urgence, and the rows' « Absent » and « … »
    # (a row names « obs-panel », chantier.js adds its roster's team id)
    assert 'data-panel="obs-panel"' in html and f'id="obs-panel-{site.team.id}"' in html
    assert html.count("<dialog") == 4


def test_cip_roster_without_the_right_to_mark(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    page = client.get(f"/s/alpha/presences/equipes/{site.team.id}")
    assert page.status_code == 200
    assert "Tous présents" not in text_of(page)


def test_today_reads_teams_with_their_markable_flag(world, client_for):
    site = world.a
    eti = site.member("eti")
    second = TeamFactory(
        structure_id=site.structure.id, name="Deuxième équipe", activity_id=site.activity.id
    )
    TeamSupervisorFactory(structure_id=site.structure.id, team_id=second.id, membership_id=eti.id)
    make_employee(site.structure.id, second, last_name="Secondaire")
    client = client_for(eti)
    client.get("/s/alpha/presences/")
    with count_queries() as counter:
        page = client.get("/s/alpha/presences/")
    assert page.status_code == 200
    # an observation, an urgent-situation, an « Absent » and a « … » panel a team
    assert page.get_data(as_text=True).count("<dialog") == 8
    # the supervised teams with « may mark », the salariés expected, their marks of the day,
    # their immersions that day, the competencies of every team's observation panel and their
    # recent citations: never one query per team
    assert len(_own(counter)) == 6


def test_all_present_writes_the_team_in_one_statement(world, client_for):
    site = world.a
    for n in range(4):
        make_employee(site.structure.id, site.team, last_name=f"Equipe{n}")
    client = client_for(site.member("eti"))
    url = f"/s/alpha/presences/equipes/{site.team.id}"
    html = client.get(url).get_data(as_text=True)  # (the structure is known from here)
    form = {name: str(uuid.uuid4()) for name in re.findall(r'name="(rec-[0-9a-f-]+)"', html)}
    assert len(form) >= 5
    with count_queries() as counter:
        answer = client.post(f"{url}/tous-presents", data=form)
    assert answer.status_code == 303
    own = _own(counter)
    # the markable team, the salariés expected, their marks, their immersions that day, one
    # INSERT for the whole team, and the structure's figures revision moved once (the
    # dashboard's cache key)
    assert [s for s in own if s.startswith("UPDATE structures")] == [own[-1]]
    assert len(own) == 6
    assert sum(s.lstrip().upper().startswith("INSERT") for s in own) == 1
