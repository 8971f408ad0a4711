"""Another team of the same structure: the ETI's sweep, generated from the route table.

The cross-structure sweep (tests/test_tenancy.py) never reaches a row scope: the tenant filter
answers 404 first. Here structure A's ETI, who supervises « Équipe Nord », asks every route
the policy lets them use with the ids of « Équipe Sud »'s salarié and records: each is out of
their scope, so each must be not found (404 « Page introuvable », as for another structure:
a 403 would confirm the row exists), and no answer may name that salarié.

Every URL argument is classified by hand below: team-scoped (the sweep uses the other team's
object) or structure-wide by design (the ETI reaches it in the whole structure). A new route
with a new argument fails the sweep until it is classified here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import url_for

from siae_app.models import Role
from siae_app.permissions.policy import POLICY
from tests.routes import ID_ARGS, PLAIN_ARGS, build_path, methods, structure_rules, undone
from tests.site import Site, add_other_team_records, text_of

# The argument → the id of the other team's object of that kind.
TEAM_SCOPED: dict[str, Callable[[Site], object]] = {
    "team_id": lambda site: site.other_team.id,
    **{
        arg: (lambda site, arg=arg: site.other_records[arg].id)
        for arg in (
            "employee_id",
            "contract_id",
            "pass_id",
            "barrier_id",
            "objective_id",
            "action_id",
            "item_id",
            "interview_id",
            "urgent_id",
            "review_id",
            "attestation_id",
            "assessment_id",
            "assessment_item_id",
            "goal_id",
            "seance_id",
        )
    },
}

# Lists and settings of the structure, shared by every team: the ETI reaches them anywhere.
STRUCTURE_WIDE: dict[str, str] = {
    "membership_id": "les membres de la structure (administration)",
    "activity_id": "les activités sont une liste de la structure",
    "framework_id": "les référentiels sont communs à la structure",
    "block_id": "un bloc d'un référentiel",
    "competency_id": "une compétence d'un référentiel",
    "criterion_id": "un critère d'un référentiel",
    "import_id": "un import de référentiel",
    "scale_id": "les échelles sont communes à la structure",
    "level_id": "un niveau d'une échelle",
    "partner_id": "les partenaires sont un carnet d'adresses de la structure",
    "axis_id": "les axes de freins sont une liste de la structure",
    "template_item_id": "le modèle d'accueil est une liste de la structure",
    "grid_id": "les grilles d'évaluation sont communes à la structure",
    "grid_item_id": "un élément d'une grille",
    "batch_id": "un lot d'export de la direction (ses attestations sont vérifiées une à une)",
    "annex_id": "les annexes financières sont celles de la convention de la structure",
    "report_id": "un rapport annuel ne porte que des nombres de la structure",
}

OTHER_NAME = "sudalpha"  # the other team's salarié (tests/site.py: last_name=f"Sud{slug}")


def names_other_salarie(response) -> bool:
    """Pages print the last name in capitals (« SUDALPHA Camille »), exports as typed."""
    return OTHER_NAME in text_of(response).lower()


@pytest.fixture
def team_world(world):
    add_other_team_records(world.a)
    return world


def test_every_url_argument_is_classified():
    """A new argument is team-scoped or structure-wide: the sweep cannot guess which."""
    classified = set(TEAM_SCOPED) | set(STRUCTURE_WIDE)
    assert not set(TEAM_SCOPED) & set(STRUCTURE_WIDE)
    assert set(ID_ARGS) == classified, (
        f"Classez ces arguments dans tests/test_team_scope.py : {sorted(set(ID_ARGS) ^ classified)}"
    )


def _eti_rules(app):
    for rule in structure_rules(app):
        if Role.ETI in POLICY[app.view_functions[rule.endpoint].permission]:
            yield rule


def _other_team_path(app, rule, site: Site) -> str:
    """The URL of ``rule`` in ``site`` with the other team's objects for the team-scoped
    arguments (and the site's own for the structure-wide ones)."""
    values = {}
    for arg in rule.arguments:
        source = TEAM_SCOPED.get(arg) or PLAIN_ARGS.get(arg) or ID_ARGS[arg]
        values[arg] = source(site)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_eti_finds_nothing_of_another_team_by_any_route(app, team_world, client_for, _transaction):
    site = team_world.a
    client = client_for(site.member("eti"))
    checked = set()
    for rule in _eti_rules(app):
        scoped = [arg for arg in rule.arguments if arg in TEAM_SCOPED]
        unknown = set(rule.arguments) - set(TEAM_SCOPED) - set(STRUCTURE_WIDE) - set(PLAIN_ARGS)
        assert not unknown, f"{rule.rule} : argument(s) à classer {sorted(unknown)}"
        if not scoped:
            continue
        path = _other_team_path(app, rule, site)
        for method in methods(rule):
            with undone(_transaction):
                response = client.open(path, method=method, data={})
            where = f"{method} {path} ({rule.endpoint}) -> {response.status_code}"
            assert response.status_code == 404, where
            body = text_of(response)
            assert "Page introuvable" in body, where
            assert not names_other_salarie(response), where
            checked.add(rule.endpoint)
    # The sweep really ran over the ETI's id routes of the follow-up and the documents.
    for endpoint in (
        "s.employees.show",
        "s.actions.action",
        "s.actions.edit_action",
        "s.diagnostic.barrier",
        "s.diagnostic.objective",
        "s.onboarding.tick",
        "s.reviews.review",
        "s.attestations.attestation",
        "s.evaluations.assessment",
        "s.evaluations.goal_status",
        "s.evaluations.seance",
        "s.teams.team",
        "s.attendance.roster",
    ):
        assert endpoint in checked, endpoint
    assert len(checked) >= 40


def test_eti_pages_without_ids_never_name_another_teams_salarie(
    app, team_world, client_for, _transaction
):
    """The lists, dashboards and pickers the ETI opens: the other team's salarié appears in
    none of them (the same data as the id routes, by a second way)."""
    site = team_world.a
    client = client_for(site.member("eti"))
    checked = 0
    for rule in _eti_rules(app):
        if set(rule.arguments) - set(PLAIN_ARGS) or "GET" not in (rule.methods or ()):
            continue
        path = build_path(app, rule, site)
        with undone(_transaction):
            response = client.get(path)
        assert response.status_code == 200, f"GET {path} -> {response.status_code}"
        assert not names_other_salarie(response), f"GET {path} ({rule.endpoint})"
        checked += 1
    assert checked >= 10


def test_the_sweep_sees_the_other_salarie_where_the_eti_is_not_alone(app, team_world, client_for):
    """Control: the name the sweep looks for is on the pages of a role that sees every team
    (otherwise « not in the page » would prove nothing)."""
    site = team_world.a
    client = client_for(site.member("coordinator"))
    response = client.get("/s/alpha/salaries/")
    assert response.status_code == 200
    assert names_other_salarie(response)
    for rule_endpoint, arg in (
        ("/s/alpha/salaries/{}", "employee_id"),
        ("/s/alpha/actions/{}", "action_id"),
        ("/s/alpha/bilans/{}", "review_id"),
        ("/s/alpha/evaluations/{}", "assessment_id"),
    ):
        response = client.get(rule_endpoint.format(TEAM_SCOPED[arg](site)))
        assert response.status_code == 200, rule_endpoint
        assert names_other_salarie(response), rule_endpoint
