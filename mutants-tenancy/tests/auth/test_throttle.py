"""Wrong passwords slow an account down progressively instead of locking it (finding 4)."""

from __future__ import annotations

import pytest

from siae_app.blueprints.auth.views import GENERIC_LOGIN_ERROR
from tests.factories import TEST_PASSWORD
from tests.site import text_of


@pytest.fixture
def clock(monkeypatch):
    from siae_app.services.accounts import throttle

    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    return now


def _login(client, email, password="mauvais-mot-de-passe"):
    return client.post("/connexion", data={"email": email, "password": password})


def _signed_in(response) -> bool:
    """Let in: sent to the structure's home (every account here has one structure, alpha)."""
    return response.status_code == 302 and response.location == "/s/alpha/"


def _held(response) -> bool:
    """Made to wait, whatever the password: the slowdown's page, not the login error."""
    return response.status_code == 429 and "Trop d'essais pour ce compte" in text_of(response)


def test_warns_before_the_slowdown_then_asks_to_wait(world, app, clock):
    email = world.a.member("eti").user.email
    client = app.test_client()
    pages = [text_of(_login(client, email)) for _ in range(5)]
    assert "Encore" not in pages[0] and "Encore" not in pages[1]
    assert "Encore 2 essais avant un délai d'attente" in pages[2]
    assert "Encore 1 essai avant un délai d'attente" in pages[3]
    assert "Patientez 2 secondes" in pages[4]
    # During the wait, even the right password waits; the e-mail typed is kept.
    r = _login(client, email, TEST_PASSWORD)
    html = text_of(r)
    assert r.status_code == 429
    assert "Trop d'essais pour ce compte" in html and "2 secondes" in html
    assert f'value="{email}"' in html
    assert "Code 429" not in html
    # The wait grows: 2, 4, 8 seconds...
    clock[0] += 3
    assert "Patientez 4 secondes" in text_of(_login(client, email))
    clock[0] += 5
    assert "Patientez 8 secondes" in text_of(_login(client, email))
    # Once it is over, the right password works.
    clock[0] += 9
    assert _login(client, email, TEST_PASSWORD).status_code == 302


def test_the_delay_is_capped(world, app, clock):
    from siae_app.services.accounts import throttle

    email = world.a.member("eti").user.email
    with app.test_request_context():
        for _ in range(30):
            throttle.record_failure(email)
            clock[0] += 10_000
        outcome = throttle.record_failure(email)
    assert outcome.wait_seconds == app.config["LOGIN_SLOWDOWN_MAX_SECONDS"]


def test_a_known_device_passes_the_slowdown_with_the_right_password(world, app, clock):
    email = world.a.member("eti").user.email
    known = app.test_client()
    assert _signed_in(_login(known, email, TEST_PASSWORD))
    known.post("/deconnexion")
    # Someone else hammers the account from elsewhere.
    attacker = app.test_client()
    for _ in range(8):
        _login(attacker, email)
    assert _held(_login(attacker, email, TEST_PASSWORD))
    # The person's usual device is not held up...
    assert _signed_in(_login(known, email, TEST_PASSWORD))
    known.post("/deconnexion")
    # ...but a wrong password from it is still refused (and counted).
    wrong = _login(known, email)
    assert wrong.status_code == 422 and GENERIC_LOGIN_ERROR in text_of(wrong)


def test_the_known_device_cookie_is_signed_and_per_account(world, app, clock):
    email = world.a.member("eti").user.email
    other = app.test_client()
    assert _signed_in(_login(other, world.a.member("cip").user.email, TEST_PASSWORD))
    other.post("/deconnexion")
    for _ in range(8):
        _login(app.test_client(), email)
    # A device known for another account is not known for this one.
    assert _held(_login(other, email, TEST_PASSWORD))
    forged = app.test_client()
    forged.set_cookie("siae_appareil", "bidon", domain="localhost")
    assert _held(_login(forged, email, TEST_PASSWORD))


def test_other_accounts_are_not_slowed(world, app, clock):
    client = app.test_client()
    for _ in range(8):
        _login(client, world.a.member("eti").user.email)
    assert _held(_login(client, world.a.member("eti").user.email, TEST_PASSWORD))
    assert _signed_in(_login(client, world.a.member("cip").user.email, TEST_PASSWORD))


def test_success_clears_the_failures(world, app, clock):
    email = world.a.member("eti").user.email
    client = app.test_client()
    for _ in range(3):
        _login(client, email)
    assert _login(client, email, TEST_PASSWORD).status_code == 302
    client.post("/deconnexion")
    assert "Encore" not in text_of(_login(client, email))
