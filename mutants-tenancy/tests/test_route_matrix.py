"""Role × endpoint → status, generated from the policy: every structure view states who may
use it (``@require``), and every role gets exactly the answer the policy gives."""

from __future__ import annotations

import inspect
import re

from siae_app.models import Role
from siae_app.permissions.policy import POLICY
from tests.routes import build_path, methods, structure_rules, undone
from tests.site import text_of


def test_every_structure_endpoint_declares_a_permission(app):
    missing = [
        rule.endpoint
        for rule in structure_rules(app)
        if getattr(app.view_functions[rule.endpoint], "permission", None) is None
    ]
    assert missing == [], f"Vues sans @require : {missing}"


def _declaration(app, rule) -> re.Pattern:
    """The line that declares ``rule``: its blueprint's decorator (the app's for a route of
    the app) with the rule as the blueprint writes it, after its blueprints' prefixes."""
    names = rule.endpoint.split(".")[:-1]
    chain = [app.blueprints[".".join(names[: i + 1])] for i in range(len(names))]
    prefix = "".join(bp.url_prefix or "" for bp in chain)
    declared = rule.rule.removeprefix(prefix)
    owner = "bp" if names else "app"
    return re.compile(rf'\s*@{owner}\.(get|post|route)\("{re.escape(declared)}"')


def test_every_route_is_found_by_its_rule_with_the_endpoint_as_its_function(app):
    """One route style: ``@bp.get/post/route("<rule>")`` above the view (with nothing but
    other decorators between them), whose function's name is the endpoint: a search for a
    URL's path finds its view."""
    astray = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        name = rule.endpoint.rsplit(".", 1)[-1]
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        lines = inspect.getsource(inspect.getmodule(view)).splitlines()
        declaration = _declaration(app, rule)
        functions = [
            next(line.strip() for line in lines[i:] if line.lstrip().startswith("def "))
            for i, line in enumerate(lines)
            if declaration.match(line)
        ]
        if f"def {name}(" not in {f[: len(name) + 5] for f in functions}:
            astray.append(f"{rule.rule} ({rule.endpoint})")
    assert astray == [], f"Routes déclarées autrement : {astray}"


def test_role_matrix(app, world, client_for, _transaction):
    """Each request runs on the world as built (``undone``): an allowed role finds every
    object of its URL, whatever the routes before it did, and in any order of the routes."""
    clients = {role: client_for(world.a.member(role.value)) for role in Role}
    checked = 0
    for rule in structure_rules(app):
        perm = app.view_functions[rule.endpoint].permission
        path = build_path(app, rule, world.a)
        for method in methods(rule):
            for role, client in clients.items():
                with undone(_transaction):
                    response = client.open(path, method=method, data={})
                where = f"{role.value} {method} {path} -> {response.status_code}"
                if role in POLICY[perm]:
                    assert response.status_code not in (403, 404, 500), where
                    if method == "GET":
                        assert response.status_code == 200, where
                else:
                    assert response.status_code == 403, where
                    assert "Accès refusé" in text_of(response)
                checked += 1
    assert checked >= 5 * 10
