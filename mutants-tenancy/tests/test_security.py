"""Security checks that concern the whole app: headers, CSRF, secrets, errors, health."""

from __future__ import annotations

import re

import pytest

from config.settings import ProductionConfig
from siae_app import create_app
from siae_app.extensions import db
from tests.site import text_of


def test_security_headers_on_every_page(world, client, client_for):
    for r in (
        client.get("/connexion"),
        client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/"),
    ):
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert "HX-Request" in r.headers["Vary"]
        assert "Strict-Transport-Security" not in r.headers  # only in production


def test_pages_have_no_inline_script(world, client_for):
    html = text_of(
        client_for(world.a.member("admin")).get(f"/s/{world.a.slug}/administration/membres")
    )
    assert "<script>" not in html and "onclick" not in html
    assert re.search(r'<script src="/static/vendor/htmx\.min\.js\?v=[0-9a-f]{10}" defer>', html)
    assert 'hx-boost="true"' in html and '"X-CSRFToken"' in html


def test_personal_pages_are_not_cached(world, client_for):
    r = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/")
    assert r.headers["Cache-Control"] == "no-store"


def test_production_refuses_default_or_short_secret_key(monkeypatch):
    for key in ("dev-only-not-secret", "court", ""):
        monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(ProductionConfig)


@pytest.mark.parametrize(
    "base", [None, "", "http://parcours.exemple.fr", "https://127.0.0.1:5000", "https://localhost"]
)
def test_production_refuses_a_missing_or_development_public_address(monkeypatch, base):
    """The verification link printed on a signed attestation must be the site's real one."""
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 48)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_BASE_URL", base)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL manquante ou invalide"):
        create_app(ProductionConfig)


def test_production_sets_hsts_and_secure_cookies(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 48)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_BASE_URL", "https://parcours.exemple.fr")
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    r = app.test_client().get("/connexion")
    assert "max-age=" in r.headers["Strict-Transport-Security"]


def test_csrf_is_required_on_state_changing_requests(app, world, client_for):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = client_for(world.a.member("admin"))
        r = client.post(
            f"/s/{world.a.slug}/administration/membres/{world.a.member('target').id}/desactiver"
        )
        assert r.status_code == 400
        assert "Formulaire expiré" in text_of(r)
        assert world.a.member("target").is_active
        r = client.post("/connexion", data={"email": "a@example.org", "password": "x"})
        assert r.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_csrf_token_sent_in_htmx_header_is_accepted(app, world, client_for):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = client_for(world.a.member("admin"))
        page = text_of(client.get(f"/s/{world.a.slug}/administration/membres"))
        token = page.split('"X-CSRFToken": "')[1].split('"')[0]
        r = client.post(
            f"/s/{world.a.slug}/administration/membres/{world.a.member('target').id}/desactiver",
            headers={"X-CSRFToken": token, "HX-Request": "true"},
        )
        assert r.status_code == 303
        db.session.refresh(world.a.member("target"))
        assert world.a.member("target").is_active is False
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_error_pages_are_french(world, client, client_for):
    r = client.get("/nulle-part")
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    r = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/administration/membres")
    assert r.status_code == 403 and "Votre rôle ne donne pas accès à cette page." in text_of(r)
    r = client.delete("/connexion")
    assert r.status_code == 405 and "Action non permise" in text_of(r)


def test_unexpected_error_gets_french_500_page(app, world, client_for, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("siae_app.blueprints.home.views.render", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        r = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert r.status_code == 500
    assert "Erreur inattendue" in text_of(r) and "panne simulée" not in text_of(r)


def test_healthz_checks_the_database(client, monkeypatch):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok", "database": "ok"}

    # A real database error (a table that does not exist) stands for an unreachable base.
    from sqlalchemy import text

    monkeypatch.setattr("siae_app.text", lambda _sql: text("SELECT * FROM table_absente"))
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json["database"] == "unreachable"


def test_dates_are_formatted_for_france(app):
    from datetime import UTC, datetime

    with app.test_request_context():
        env = app.jinja_env
        assert env.filters["date_fr"](datetime(2026, 2, 3, tzinfo=UTC)) == "3 février 2026"
        assert env.filters["number_fr"](1234567.5) == "1\u202f234\u202f567,5"
