"""Role × endpoint → status, generated from the policy: every structure view states who may
use it (``@require``), and every role gets exactly the answer the policy gives."""

from __future__ import annotations

from siae_app.models import Role
from siae_app.permissions import POLICY
from tests.conftest import text_of
from tests.routes import build_path, methods, structure_rules


def test_every_structure_endpoint_declares_a_permission(app):
    missing = [
        rule.endpoint
        for rule in structure_rules(app)
        if getattr(app.view_functions[rule.endpoint], "permission", None) is None
    ]
    assert missing == [], f"Vues sans @require : {missing}"


def test_role_matrix(app, world, client_for):
    clients = {role: client_for(world.a.member(role.value)) for role in Role}
    checked = 0
    for rule in structure_rules(app):
        perm = app.view_functions[rule.endpoint].permission
        path = build_path(app, rule, world.a)
        for method in methods(rule):
            for role, client in clients.items():
                response = client.open(path, method=method, data={})
                allowed = role in POLICY[perm]
                where = f"{role.value} {method} {path} -> {response.status_code}"
                if allowed:
                    assert response.status_code not in (403, 404, 500), where
                    if method == "GET":
                        assert response.status_code == 200, where
                else:
                    assert response.status_code == 403, where
                    assert "Accès refusé" in text_of(response)
                checked += 1
    assert checked >= 5 * 10
