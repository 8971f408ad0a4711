"""The alerts page: whose salariés, snooze for the team, bounded queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import AlertSnooze
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.querycount import count_queries
from tests.site import text_of


def test_cip_sees_their_salaries_with_colours(world, client_for):
    site = world.a
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert site.employee.display_name in html and site.other_employee.display_name in html
    assert "Aucun prochain rendez-vous fixé" in html
    assert 'data-colour="amber"' in html
    assert "Vu — rappeler dans 7 jours" in html
    # Another CIP (not their référent) does not get these lines.
    other_cip = f.MembershipFactory(
        structure=site.structure, roles=["cip"], user=f.UserFactory(email="cip2@example.org")
    )
    html = text_of(client_for(other_cip).get(f"/s/{site.slug}/alertes/"))
    assert "Rien à traiter cette semaine." in html


def test_red_alert_for_a_contract_ending_soon(world, client_for, session):
    site = world.a
    contract = site.employee.contracts[0]
    contract.end_date = date.today() + timedelta(days=20)
    session.commit()
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert 'data-alert="contrat" data-colour="red"' in html
    assert "moins de 6 semaines" in html


def test_coordination_sees_every_referent(world, client_for):
    site = world.a
    html = text_of(client_for(site.member("coordinator")).get(f"/s/{site.slug}/alertes/"))
    assert site.member("cip").user.full_name in html
    assert site.employee.display_name in html
    assert world.b.employee.display_name not in html


def test_snooze_is_for_the_team_and_recorded(world, client_for, session):
    site = world.a
    cip = site.member("cip")
    r = client_for(cip).post(
        f"/s/{site.slug}/alertes/{site.employee.id}/vu", headers={"HX-Request": "true"}
    )
    html = text_of(r)
    assert r.status_code == 200 and html.lstrip().startswith('<section id="alertes"')
    assert "reportées de 7 jours" in html
    assert f'id="alerte-{site.employee.id}"' not in html
    rows = session.scalars(
        select(AlertSnooze).where(AlertSnooze.employee_id == site.employee.id)
    ).all()
    assert rows and {r.membership_id for r in rows} == {cip.id}
    assert {r.until for r in rows} == {date.today() + timedelta(days=7)}
    coordination = text_of(client_for(site.member("coordinator")).get(f"/s/{site.slug}/alertes/"))
    assert f'id="alerte-{site.employee.id}"' not in coordination
    assert f'id="alerte-{site.other_employee.id}"' in coordination


def test_snooze_of_another_structures_salarie_is_not_found(world, client_for, session):
    r = client_for(world.a.member("cip")).post(f"/s/alpha/alertes/{world.b.employee.id}/vu")
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    assert session.scalars(select(AlertSnooze)).all() == []


def test_eti_and_direction_have_no_alerts_page(world, client_for):
    for role in ("eti", "director", "admin"):
        r = client_for(world.a.member(role)).get("/s/alpha/alertes/")
        assert r.status_code == 403 and "Accès refusé" in text_of(r)
        assert world.a.employee.display_name not in text_of(r)


def test_query_count_does_not_grow_with_the_number_of_salaries(world, client_for):
    site = world.a
    client = client_for(site.member("coordinator"))
    client.get(f"/s/{site.slug}/alertes/")  # warm-up (seeds, session)

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(f"/s/{site.slug}/alertes/").status_code == 200
        return counter.count

    before = queries()
    for n in range(5):
        employee = f.make_employee(
            site.structure.id, site.team, site.member("cip"), last_name=f"Charge{n}"
        )
        f.ActionFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            due_date=date.today() - timedelta(days=3),
        )
    after = queries()
    assert after == before, (before, after)


def test_htmx_gets_only_the_alerts_block_for_the_home_page(world, client_for):
    r = client_for(world.a.member("cip")).get("/s/alpha/alertes/", headers={"HX-Request": "true"})
    html = text_of(r)
    assert r.status_code == 200 and html.lstrip().startswith('<section id="alertes"')
    assert "<html" not in html and world.a.employee.display_name in html


def test_three_unjustified_absences_in_a_row_reach_the_cip(world, client_for, session):
    site = world.a
    start = date.today() - timedelta(days=10)
    marks = [("present", None), ("absent", "injustifiee"), ("absent", "injustifiee")]
    marks.append(("absent", "injustifiee"))
    for i, (status, motif) in enumerate(marks):
        AttendanceFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            team_id=site.team.id,
            day=start + timedelta(days=i),
            status=status,
            motif=motif,
            hours_worked=0 if status == "absent" else 5,
        )
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert 'data-alert="absences" data-colour="amber"' in html
    assert "3 absences injustifiées consécutives" in html
    # A justified mark after them ends the run.
    AttendanceFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        team_id=site.team.id,
        day=start + timedelta(days=4),
        status="absent",
        motif="maladie",
        hours_worked=0,
    )
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert "absences injustifiées consécutives" not in html


def test_one_line_per_salarie_the_others_folded_and_the_colour_said_once(
    world, client_for, session
):
    site = world.a
    employee = site.other_employee  # entered 120 days ago: no diagnostic, no appointment…
    for days in (3, 9):
        f.ActionFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            due_date=date.today() - timedelta(days=days),
        )
    session.commit()
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert html.count(f'id="alerte-{employee.id}"') == 1
    line = html[html.index(f'id="alerte-{employee.id}"') :].split('<li class="card', 1)[0]
    # Diagnostic (red) first; accueil, actions, rendez-vous, bilan (amber) folded behind it.
    assert 'data-alert="diagnostic" data-colour="red"' in line.split("<summary>")[1]
    assert line.count('data-colour="amber"') == 4
    assert line.count('class="badge alert-red"') == 1
    assert line.count('class="badge alert-amber"') == 1
    assert "+ 4 autres" in line
    assert "2 actions en retard" in line and "(s)" not in html
    assert "Aucun prochain rendez-vous fixé" in line
    assert "salariés concernés" in html
    assert "2 actions en retard" in html.split('<ul class="card-list">')[0]  # the figures


def test_the_home_gets_the_figures_and_the_most_urgent_lines(world, client_for):
    site = world.a
    for n in range(4):
        f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=f"Charge{n}")
    client = client_for(site.member("cip"))
    home = text_of(client.get(f"/s/{site.slug}/"))
    assert 'hx-get="/s/alpha/alertes/?apercu=1"' in home
    r = client.get(f"/s/{site.slug}/alertes/?apercu=1", headers={"HX-Request": "true"})
    html = text_of(r)
    assert r.status_code == 200 and html.lstrip().startswith('<section id="alertes"')
    assert '<h2 id="alertes-titre">Alertes de la semaine</h2>' in html
    assert "6 salariés concernés" in html
    assert html.count('<li class="card alert-line') == 3
    assert "Voir les alertes des 6 salariés" in html
    assert f'hx-post="/s/{site.slug}/alertes/' in html and '/vu?apercu=1"' in html
    full = text_of(client.get(f"/s/{site.slug}/alertes/", headers={"HX-Request": "true"}))
    assert full.count('<li class="card alert-line') == 6
    assert "Voir les alertes des" not in full


def test_snooze_from_the_home_gives_back_the_homes_block(world, client_for):
    site = world.a
    r = client_for(site.member("cip")).post(
        f"/s/{site.slug}/alertes/{site.employee.id}/vu?apercu=1", headers={"HX-Request": "true"}
    )
    html = text_of(r)
    assert r.status_code == 200 and "reportées de 7 jours" in html
    assert '<h2 id="alertes-titre">Alertes de la semaine</h2>' in html
    assert f'id="alerte-{site.employee.id}"' not in html
    assert f'id="alerte-{site.other_employee.id}"' in html


def test_a_long_list_comes_by_pages_the_figures_counting_every_line(world, client_for, monkeypatch):
    from siae_app.blueprints.alerts import views

    monkeypatch.setattr(views, "PAGE_LINES", 2)
    site = world.a
    for n in range(4):
        f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=f"Charge{n}")
    client = client_for(site.member("cip"))
    first = text_of(client.get(f"/s/{site.slug}/alertes/"))
    assert "6 salariés concernés" in first
    assert first.count('<li class="card alert-line') == 2
    assert "Page 1 sur 3" in first and "?page=2" in first and "Plus urgentes" not in first
    seen = set()
    for n in (1, 2, 3):
        html = text_of(client.get(f"/s/{site.slug}/alertes/?page={n}"))
        seen |= set(re.findall(r'id="alerte-([0-9a-f-]+)"', html))
    assert len(seen) == 6  # every line on exactly one page
    last = text_of(client.get(f"/s/{site.slug}/alertes/?page=99"))
    assert "Page 3 sur 3" in last and "Suivantes" not in last and "?page=2" in last
    # « Vu » on page 2 answers with page 2 (the line gone, the figures one fewer)
    page2 = text_of(client.get(f"/s/{site.slug}/alertes/?page=2"))
    target = re.findall(r'id="alerte-([0-9a-f-]+)"', page2)[0]
    assert f'/alertes/{target}/vu?page=2"' in page2
    answer = client.post(
        f"/s/{site.slug}/alertes/{target}/vu?page=2", headers={"HX-Request": "true"}
    )
    html = text_of(answer)
    assert answer.status_code == 200 and "Page 2 sur 3" in html
    assert f'id="alerte-{target}"' not in html and "5 salariés concernés" in html
