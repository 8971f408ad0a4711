"""Coverage of a titre's blocks: per salarié (states, figures, criteria with evidence, what is
missing) and across salariés for the CIP (who is close to a complete block)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Block, Observation, ObservationCompetency
from siae_app.services.certification import coverage as service
from siae_app.services.evaluations import assessments
from tests import factories as f
from tests.evaluations.helpers import base, level, observation
from tests.querycount import count_queries
from tests.site import text_of


def _reac(site):
    """A REAC of 3 blocks of 2 competencies (CP 1-2, CP 3-4, CP 5-6), 2 criteria each."""
    with tenancy.tenant_scope(db.session, site.structure.id):
        framework = f.make_framework("REAC Agent d'entretien", source="reac", blocks=3)
    db.session.commit()
    return framework


def _answer(site, assessment, answers, evidence=()):
    """``answers``: competency → level code on its competency line; ``evidence``:
    (criterion, observation) cited on that criterion's line."""
    on_criterion = dict(evidence)
    with tenancy.tenant_scope(db.session, site.structure.id):
        for item in assessment.items:
            criterion_id = item.grid_item.criterion_id
            if criterion_id is None and item.competency_id in answers:
                code = answers[item.competency_id]
                answer = assessments.ItemAnswer(level_id=level(site, code).id)
            elif criterion_id in on_criterion:
                answer = assessments.ItemAnswer(evidence_ids=[on_criterion[criterion_id].id])
            else:
                continue
            assessments.set_item(db.session, item, answer, visible=select(Observation))
    db.session.commit()


def _validate(site, assessment):
    eti, cip = site.member("eti"), site.member("cip")
    with tenancy.tenant_scope(db.session, site.structure.id):
        assessments.mark_seen(db.session, assessment, eti)
        assessments.validate_eti(db.session, assessment, eti)
        assessments.validate_cip(db.session, assessment, cip)
    db.session.commit()


@pytest.fixture
def case(world):
    """Block 1 all acquired, block 2 half, block 3 never validated (CP 5 in a draft only)."""
    site = world.a
    framework = _reac(site)
    comps = [c for b in framework.blocks for c in b.competencies]
    grid = f.make_grid(framework, "Grille REAC", with_criteria=True, scale_id=site.scale.id)
    eti, cip = site.member("eti"), site.member("cip")
    # An observation cited on criterion 1.1, re-tagged later (it no longer cites CP 1): the
    # evidence on the criterion's line still counts, CP 1's other criterion does not.
    retagged = observation(site, eti, comps[0], "Porte ses gants et ses lunettes")
    observation(site, eti, comps[1], "Range le matériel à sa place")
    # A sensitive observation cites CP 3 and is evidence on criterion 3.1: never counts.
    hidden = observation(site, cip, comps[2], "Difficultés personnelles", sensitive=True)
    validated = f.make_assessment(
        eti, site.employee, grid, assessed_on=date.today() - timedelta(days=10)
    )
    _answer(
        site,
        validated,
        {comps[0].id: "A", comps[1].id: "M", comps[2].id: "A", comps[3].id: "ECA"},
        evidence=[(comps[0].criteria[0].id, retagged), (comps[2].criteria[0].id, hidden)],
    )
    _validate(site, validated)
    db.session.execute(
        delete(ObservationCompetency).where(ObservationCompetency.observation_id == retagged.id)
    )
    draft = f.make_assessment(eti, site.employee, grid, assessed_on=date.today())
    _answer(site, draft, {comps[4].id: "A"})
    db.session.commit()
    return site, framework, comps


def test_the_states_figures_and_missing_competencies_per_block(case, session):
    site, framework, comps = case
    with count_queries() as counter:
        found = service.coverage(session, site.employee, framework)
    assert counter.count == 5  # shape, levels, criteria, evidence, observations: no loop
    one, two, three = found.blocks
    assert [b.name for b in found.blocks] == [
        "AT 1 · Bloc 1 du chantier",
        "AT 2 · Bloc 2 du chantier",
        "AT 3 · Bloc 3 du chantier",
    ]
    assert one.figure == "2 sur 2 (100 %)" and one.missing == []
    assert [c.level_label for c in one.competencies] == ["Acquis", "Maîtrisé"]
    assert two.figure == "1 sur 2 (50 %)"
    assert [c.state for c in two.competencies] == [service.ACQUIRED, service.IN_PROGRESS]
    assert two.missing == [f"CP 4 · {comps[3].title}"]
    # A level in a draft is « en cours », never « acquise »; CP 6 was never evaluated.
    assert three.figure == "0 sur 2 (0 %)"
    assert [c.state_label for c in three.competencies] == ["En cours", "Jamais évaluée"]
    assert three.competencies[0].level_label == ""
    assert len(three.missing) == 2
    # Criteria: 1.1 (evidence on its line) and 2.1, 2.2 (an observation cites CP 2); the
    # sensitive observation covers nothing in block 2, neither cited nor as evidence.
    assert (one.criteria_covered, one.criteria_total) == (3, 4)
    assert (two.criteria_covered, two.criteria_total) == (0, 4)
    assert (three.criteria_covered, three.criteria_total) == (0, 4)


def test_a_later_validated_level_below_acquired_is_in_progress_again(case, session):
    site, framework, comps = case
    grid = f.make_grid(framework, "Grille REAC 2", scale_id=site.scale.id)
    later = f.make_assessment(site.member("eti"), site.employee, grid, assessed_on=date.today())
    _answer(site, later, {comps[0].id: "NA"})
    _validate(site, later)
    one = service.coverage(session, site.employee, framework).blocks[0]
    assert [c.state for c in one.competencies] == [service.IN_PROGRESS, service.ACQUIRED]
    assert one.figure == "1 sur 2 (50 %)"


def test_the_salarie_page_shows_each_block(case, client_for):
    site, framework, comps = case
    client = client_for(site.member("cip"))
    url = f"{base(site)}/salaries/{site.employee.id}/couverture"
    page = text_of(client.get(url))  # the REAC by default
    assert "Couverture des blocs" in page and "Référentiel" in page
    assert (
        "AT 1 · Bloc 1 du chantier" in page
        and "Compétences acquises : <strong>2 sur 2 (100 %)</strong>." in page
    )
    assert "Toutes les compétences de ce bloc sont acquises." in page
    _, block_two, block_three = page.split("<section")[1:]
    assert "AT 2 · Bloc 2 du chantier" in block_two
    assert "1 sur 2 (50 %)" in block_two and "Ce qui manque pour ce bloc" in block_two
    assert "Critères couverts par une preuve : 0 sur 4." in block_two
    assert "En cours" in block_three and "Jamais évaluée" in block_three
    html = client.get(url).get_data(as_text=True)
    assert "<caption>" in html and '<th scope="col">État</th>' in html
    assert f'href="{base(site)}/couverture?referentiel={framework.id}"' in html
    # The salarié's evaluations page links to it.
    evaluations = client.get(f"{base(site)}/salarie/{site.employee.id}").get_data(as_text=True)
    assert f'href="{url}"' in evaluations and "Voir la couverture des blocs du titre" in evaluations


def test_the_framework_is_chosen_among_the_structure_s(case, world, client_for):
    site, framework, comps = case
    client = client_for(site.member("cip"))
    url = f"{base(site)}/salaries/{site.employee.id}/couverture"
    own = text_of(client.get(f"{url}?referentiel={site.framework.id}"))
    assert "Bloc 1 du chantier" in own and "AT 1" not in own  # the structure's own framework
    assert client.get(f"{url}?referentiel={world.b.framework.id}").status_code == 404
    assert client.get(f"{url}?referentiel=pas-un-id").status_code == 404


def test_another_structure_s_salarie_or_another_team_s_is_not_found(case, world, client_for):
    site, framework, comps = case
    cip, eti = client_for(site.member("cip")), client_for(site.member("eti"))
    other = world.b.employee
    assert cip.get(f"{base(site)}/salaries/{other.id}/couverture").status_code == 404
    # The ETI reaches only the salariés of the teams they supervise.
    assert eti.get(f"{base(site)}/salaries/{site.other_employee.id}/couverture").status_code == 404
    assert eti.get(f"{base(site)}/salaries/{site.employee.id}/couverture").status_code == 200


def test_the_cip_view_sorts_salaries_by_their_best_block(case, client_for):
    site, framework, comps = case
    newcomer = f.make_employee(
        site.structure.id, site.team, site.member("cip"), last_name="Aaron", first_name="Léa"
    )
    grid = f.make_grid(framework, "Grille REAC 3", scale_id=site.scale.id)
    half = f.make_assessment(site.member("eti"), newcomer, grid)
    _answer(site, half, {comps[2].id: "A"})
    _validate(site, half)
    page = text_of(
        client_for(site.member("cip")).get(
            f"{base(site)}/couverture?referentiel={framework.id}&equipe={site.team.id}"
        )
    )
    assert "<h1>Blocs de compétences</h1>" in page
    nav = page.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    assert 'aria-current="page"' in nav.split("Blocs de compétences")[0].rsplit("<a", 1)[1]
    rows = page.split("Où en est-il ?")[1]
    first, second = site.employee.display_name, newcomer.display_name
    assert first in rows and second in rows and rows.index(first) < rows.index(second)
    assert "Bloc complet" in rows.split(second)[0]
    assert "AT 2 · Bloc 2 du chantier" in rows.split(second)[1]
    assert "1 sur 2 (50 %)" in rows.split(second)[1] and "Proche (au moins 50 %)" in rows
    # Another team's salarié is not listed under this team.
    assert site.other_employee.display_name not in rows


def test_the_cip_chooses_the_threshold_and_may_list_only_the_close(case, client_for):
    site, framework, comps = case
    newcomer = f.make_employee(
        site.structure.id, site.team, site.member("cip"), last_name="Aaron", first_name="Léa"
    )
    client = client_for(site.member("cip"))
    url = f"{base(site)}/couverture?referentiel={framework.id}&equipe={site.team.id}"
    # The salarié's best block is complete; no one else has a block at half.
    page = text_of(client.get(f"{url}&seuil=75&proches=1"))
    assert '<option value="75" selected>75 % du bloc acquis</option>' in page
    rows = page.split("Où en est-il ?")[1]
    assert site.employee.display_name in rows and "Bloc complet" in rows
    assert newcomer.display_name not in rows
    # A half-covered block is « proche » at 50 %, not at 60 %.
    grid = f.make_grid(framework, "Grille REAC 5", scale_id=site.scale.id)
    half = f.make_assessment(site.member("eti"), newcomer, grid)
    _answer(site, half, {comps[2].id: "A"})
    _validate(site, half)
    at_50 = text_of(client.get(f"{url}&seuil=50&proches=1")).split("Où en est-il ?")[1]
    assert newcomer.display_name in at_50 and "Proche (au moins 50 %)" in at_50
    at_60 = text_of(client.get(f"{url}&seuil=60&proches=1")).split("Où en est-il ?")[1]
    assert newcomer.display_name not in at_60 and "Proche" not in at_60
    # Without « seulement les proches », everyone is listed; an unknown threshold is 50 %.
    every = text_of(client.get(f"{url}&seuil=60")).split("Où en est-il ?")[1]
    assert newcomer.display_name in every
    odd = text_of(client.get(f"{url}&seuil=33"))
    assert '<option value="50" selected>' in odd and "Proche (au moins 50 %)" in odd


def test_the_cip_view_filters_and_refuses_others_ids(case, world, client_for):
    site, framework, comps = case
    client = client_for(site.member("cip"))
    url = f"{base(site)}/couverture"
    other = text_of(client.get(f"{url}?referentiel={framework.id}&equipe={site.other_team.id}"))
    assert site.other_employee.display_name in other and site.employee.display_name not in other
    b = world.b
    assert client.get(f"{url}?referentiel={b.framework.id}").status_code == 404
    assert client.get(f"{url}?equipe={b.team.id}").status_code == 404
    # The ETI sees only the salariés of their team, and no other team's filter.
    eti = client_for(site.member("eti"))
    mine = text_of(eti.get(url))
    assert site.employee.display_name in mine and site.other_employee.display_name not in mine
    assert eti.get(f"{url}?equipe={site.other_team.id}").status_code == 404


def test_the_cip_view_costs_the_same_for_one_or_four_salaries(case, client_for):
    site, framework, comps = case
    team = f.TeamFactory(structure_id=site.structure.id, name="Équipe Est")
    client = client_for(site.member("cip"))
    url = f"{base(site)}/couverture?referentiel={framework.id}&equipe={team.id}"
    grid = f.make_grid(framework, "Grille REAC 4", scale_id=site.scale.id)

    def add_one(n):
        employee = f.make_employee(site.structure.id, team, site.member("cip"), last_name=f"E{n}")
        assessment = f.make_assessment(site.member("eti"), employee, grid)
        _answer(site, assessment, {comps[n % 6].id: "A"})
        _validate(site, assessment)

    def queries():
        client.get(url)  # warm: the sign-in path's caches
        with count_queries() as counter:
            answer = client.get(url)
        assert answer.status_code == 200
        return counter.count, text_of(answer)

    add_one(0)
    one, page = queries()
    assert page.count("Bloc 1 du chantier") == 1
    for n in range(1, 4):
        add_one(n)
    four, page = queries()
    assert page.count("1 sur 2 (50 %)") == 4
    assert four == one


def test_the_menu_leads_to_the_blocks_the_home_keeps_its_daily_shortcuts(world, client_for):
    site = world.a
    home = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/"))
    nav = home.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    assert f'href="/s/{site.slug}/evaluations/couverture"' in nav
    assert "icon-graduation-cap" in nav
    quick = home.split("Accès rapides")[1]
    assert "Blocs de compétences" not in quick and "Salariés" in quick


def test_the_framework_choice_and_a_structure_without_blocks(case, world, client_for, session):
    site, framework, comps = case
    page = text_of(client_for(site.member("cip")).get(f"{base(site)}/couverture"))
    # Two frameworks with blocks: the REAC first and chosen, the other one offered.
    assert f'<option value="{framework.id}" selected>REAC Agent d\'entretien</option>' in page
    assert f'<option value="{site.framework.id}">' in page
    b = world.b
    with tenancy.system_scope(session):
        session.execute(
            update(Block).where(Block.structure_id == b.structure.id).values(is_archived=True)
        )
    session.commit()
    empty = text_of(client_for(b.member("cip")).get(f"{base(b)}/couverture"))
    assert "Aucun référentiel avec des blocs de compétences." in empty
    assert "La coordination importe le REAC du titre dans « Référentiels »." in empty
