"""Role × endpoint → status, generated from the policy: every structure view states who may
use it (``@require``), and every role gets exactly the answer the policy gives."""

from __future__ import annotations

from siae_app.models import Role
from siae_app.permissions.policy import POLICY
from tests.routes import build_path, methods, structure_rules
from tests.site import text_of


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
    done: set[tuple[str, str]] = set()  # (method, path) an allowed role already carried out
    for rule in structure_rules(app):
        perm = app.view_functions[rule.endpoint].permission
        path = build_path(app, rule, world.a)
        for method in methods(rule):
            for role, client in clients.items():
                response = client.open(path, method=method, data={})
                allowed = role in POLICY[perm]
                where = f"{role.value} {method} {path} -> {response.status_code}"
                if allowed:
                    # A 404 is only fine once an allowed role's request already succeeded on
                    # this URL (the action consumed its object, e.g. a confirmed import).
                    gone = response.status_code == 404 and (method, path) in done
                    assert response.status_code not in (403, 500), where
                    assert response.status_code != 404 or gone, where
                    if method == "GET":
                        assert response.status_code == 200, where
                    if response.status_code < 400:
                        done.add((method, path))
                else:
                    assert response.status_code == 403, where
                    assert "Accès refusé" in text_of(response)
                checked += 1
    assert checked >= 5 * 10
