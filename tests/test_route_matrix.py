"""Role × endpoint → status, generated from the policy: every structure view states who may
use it (``@require``), and every role gets exactly the answer the policy gives."""

from __future__ import annotations

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
