"""Progress: levels over time per competency (SVG chart + table), what is acquired, goals
reported on by the next validated assessment, the salarié's page."""

from __future__ import annotations

from datetime import date, timedelta

from siae_app.extensions import db
from siae_app.models import GoalStatus
from siae_app.services.evaluations import progress
from tests import factories as f
from tests.evaluations.helpers import base, level
from tests.querycount import count_queries
from tests.site import text_of


def _newcomer(site):
    """A salarié of the ETI's team with no assessment yet (the world's employee has some)."""
    return f.make_employee(
        site.structure.id, site.team, site.member("cip"), last_name=f"Progres{site.slug}"
    )


def _two_validated(site, first=("NA", None), second=("A", "ECA"), employee=None):
    eti, cip = site.member("eti"), site.member("cip")
    grid = site.evaluations["grid"]
    employee = employee or site.employee
    old = f.make_assessment(
        eti,
        employee,
        grid,
        kind="initial",
        codes=list(first),
        assessed_on=date.today() - timedelta(days=60),
        validated_by=(eti, cip),
    )
    new = f.make_assessment(eti, employee, grid, codes=list(second), validated_by=(eti, cip))
    return old, new


def test_history_counts_only_validated_levels_and_the_change(world, session):
    site = world.a
    employee = _newcomer(site)
    _two_validated(site, employee=employee)
    found = progress.history(session, employee.id)
    first = found[0]
    assert [p.label for p in first.points] == ["Non acquis", "Acquis"]
    assert first.change == 2 and first.change_label == "+2 niveaux"
    # « non évalué » the first time: one point only, never a low level.
    second = found[1]
    assert [p.label for p in second.points] == ["En cours d'acquisition"]
    assert second.change_label == "Première évaluation"
    summary = progress.summary(found)
    assert [p.label for p in summary.acquired] == [first.label]


def test_the_salarie_page_shows_what_is_acquired_and_the_progress(world, client_for):
    site = world.a
    employee = _newcomer(site)
    _two_validated(site, employee=employee)
    page = text_of(client_for(site.member("director")).get(f"{base(site)}/salarie/{employee.id}"))
    assert "Ce qui est acquis" in page and "+2 niveaux" in page
    acquired = page.split("Ce qui est acquis")[1].split("Progression par compétence")[0]
    assert "Compétence 1 : respecter les consignes de sécurité" in acquired
    assert "Acquis" in acquired and "Compétence 2" not in acquired
    assert "Commencer une évaluation" not in page  # direction reads


def test_the_competency_page_has_an_accessible_chart_and_a_table(world, client_for):
    site = world.a
    employee = _newcomer(site)
    _two_validated(site, employee=employee)
    competency = site.framework.competencies[0]
    client = client_for(site.member("eti"))
    html = client.get(
        f"/s/{site.slug}/salaries/{employee.id}/competences/{competency.id}"
    ).get_data(as_text=True)
    page = text_of(client.get(f"/s/{site.slug}/salaries/{employee.id}/competences/{competency.id}"))
    assert '<svg class="progress-chart" role="img"' in html and "<title id=" in html
    assert "<desc id=" in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    assert "Niveaux successifs : Non acquis le" in page
    assert "Historique des niveaux validés" in page and "Évolution : +2 niveaux" in page.replace(
        "évolution", "Évolution"
    )


def test_svg_text_is_escaped():
    from siae_app.services.evaluations.progress import CompetencyProgress, Point, svg_chart

    entry = CompetencyProgress(None, "<script>alert(1)</script>")
    entry.points.append(Point(None, date(2026, 3, 1), "initial", 1, "Non <b>acquis</b>", False))
    svg = str(svg_chart(entry, [], "c1"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_a_validated_assessment_reports_on_open_goals(world, client_for, session):
    site = world.a
    competencies = site.framework.competencies
    eti, cip = site.member("eti"), site.member("cip")
    reached = f.make_goal(eti, site.employee, competencies[0], level(site, "A"))
    not_yet = f.make_goal(eti, site.employee, competencies[1], level(site, "M"))
    untouched = f.make_goal(eti, site.employee, competencies[2], level(site, "A"))
    assessment = f.make_assessment(
        eti, site.employee, site.evaluations["grid"], codes=["M", "ECA", None]
    )
    assert reached.status == GoalStatus.OPEN  # not yet validated
    client_eti, client_cip = client_for(eti), client_for(cip)
    url = f"{base(site)}/{assessment.id}"
    client_eti.post(f"{url}/vu-avec-le-salarie")
    client_eti.post(f"{url}/validation-eti")
    client_cip.post(f"{url}/validation-cip")
    assert reached.status == GoalStatus.REACHED and reached.reported_in_id == assessment.id
    assert not_yet.status == GoalStatus.OPEN and not_yet.reported_in_id == assessment.id
    assert untouched.status == GoalStatus.OPEN and untouched.reported_in_id is None
    page = text_of(client_eti.get(f"{base(site)}/salarie/{site.employee.id}"))
    assert "Atteint" in page and "fait le point" in page
    client_eti.post(f"{url}/rouvrir", data={"motif": "Correction"})
    assert reached.status == GoalStatus.OPEN and reached.reported_in_id is None


def test_goals_are_added_and_closed_by_hand(world, client_for, session):
    site = world.a
    client = client_for(site.member("coordinator"))
    url = f"{base(site)}/salarie/{site.employee.id}/objectifs"
    r = client.post(url, data={"competency_id": "", "label": "Gagner en autonomie"})
    assert r.status_code == 422 and "Gagner en autonomie" in text_of(r)
    r = client.post(
        url,
        data={
            "competency_id": str(site.framework.competencies[1].id),
            "target_level_id": str(level(site, "A").id),
            "due_on": (date.today() - timedelta(days=1)).isoformat(),
        },
    )
    assert r.status_code == 422 and "déjà passée" in text_of(r)
    r = client.post(
        url,
        data={
            "competency_id": str(site.framework.competencies[1].id),
            "target_level_id": str(level(site, "A").id),
            "due_on": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 303
    goal = site.evaluations["goal"]
    r = client.post(f"{base(site)}/objectifs/{goal.id}", data={f"g{goal.id.hex}-status": "dropped"})
    assert r.status_code == 303 and goal.status == GoalStatus.DROPPED
    assert "Abandonné" in text_of(client.get(f"{base(site)}/salarie/{site.employee.id}"))
    assert (
        client_for(site.member("cip"))
        .post(f"{base(site)}/objectifs/{goal.id}", data={})
        .status_code
        == 403
    )


def test_the_salarie_page_does_not_grow_queries_with_assessments(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    url = f"{base(site)}/salarie/{site.employee.id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    _two_validated(site)
    f.make_goal(site.member("eti"), site.employee, site.framework.competencies[1], level(site, "M"))
    f.make_seance(site.member("eti"), site.employee, site.framework.competencies[1])
    db.session.commit()  # what the test wrote is saved before, not by the page's request
    with count_queries() as many:
        page = text_of(client.get(url))
    assert "Positionnement initial" in page
    assert many.count == few.count, many.statements


def test_a_single_point_draws_no_line_and_says_first_assessment():
    from siae_app.services.evaluations.progress import CompetencyProgress, Point, svg_chart

    entry = CompetencyProgress(None, "Tondre une pelouse")
    entry.points.append(Point(None, date(2026, 3, 1), "initial", 3, "Acquis", True))
    svg = str(svg_chart(entry, [], "c2"))
    assert "<polyline" not in svg and 'class="dot acquired"' in svg
    assert "Première évaluation" in svg and "01/03/26" in svg


def test_the_competency_page_does_not_grow_queries_with_assessments(world, client_for):
    site = world.a
    competency = site.framework.competencies[0]
    client = client_for(site.member("cip"))
    url = f"/s/{site.slug}/salaries/{site.employee.id}/competences/{competency.id}"
    _two_validated(site)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    eti, cip = site.member("eti"), site.member("cip")
    for n in range(3):
        f.make_assessment(
            eti,
            site.employee,
            site.evaluations["grid"],
            codes=["M"],
            assessed_on=date.today() - timedelta(days=n),
            validated_by=(eti, cip),
        )
        f.make_seance(eti, site.employee, competency)
    db.session.commit()  # what the test wrote is saved before, not by the page's request
    with count_queries() as many:
        page = text_of(client.get(url))
    assert page.count("Évaluation intermédiaire") >= 4
    assert many.count == few.count, many.statements
