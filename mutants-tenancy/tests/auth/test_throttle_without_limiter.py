"""With rate limiting switched off (RATELIMIT_ENABLED=False, as the benchmarks run), signing in
still works and wrong passwords still slow the account down (its own counters)."""

from __future__ import annotations

import pytest

from siae_app.extensions import limiter
from tests.factories import TEST_PASSWORD
from tests.site import text_of


@pytest.fixture
def no_rate_limits(app, monkeypatch):
    # What create_app leaves with RATELIMIT_ENABLED=False: a limiter off, without storage.
    monkeypatch.setattr(limiter, "enabled", False)
    monkeypatch.setattr(limiter, "_storage", None)
    yield
    app.extensions.pop("siae_login_slowdown", None)


def test_sign_in_works_without_the_rate_limiter(world, app, no_rate_limits):
    email = world.a.member("cip").user.email
    client = app.test_client()
    response = client.post("/connexion", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.location == f"/s/{world.a.slug}/"
    assert "Bonjour" in text_of(client.get(response.location))


def test_wrong_passwords_still_slow_the_account_down(world, app, no_rate_limits):
    email = world.a.member("eti").user.email
    client = app.test_client()
    pages = [
        text_of(client.post("/connexion", data={"email": email, "password": "mauvais-essai"}))
        for _ in range(5)
    ]
    assert "Encore 1 essai avant un délai d'attente" in pages[3]
    assert "Patientez 2 secondes" in pages[4]
