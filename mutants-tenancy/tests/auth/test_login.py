"""Sign-in, sign-out, structure choice, rate limits, session lifetime."""

from __future__ import annotations

import time

from tests.factories import TEST_PASSWORD
from tests.site import text_of


def _login(client, email, password=TEST_PASSWORD):
    return client.post("/connexion", data={"email": email, "password": password})


def test_login_page_is_french_and_labelled(client):
    r = client.get("/connexion")
    html = text_of(r)
    assert r.status_code == 200
    assert '<html lang="fr">' in html
    assert '<label for="email">Adresse e-mail</label>' in html
    assert '<label for="password">Mot de passe</label>' in html


def test_login_lands_on_the_structure_home(world, client):
    r = _login(client, world.a.member("eti").user.email)
    assert r.status_code == 302
    assert r.location.endswith(f"/s/{world.a.slug}/")
    home = client.get(r.location)
    assert "Bonjour" in text_of(home)
    assert "Mes équipes" in text_of(home)


def test_last_login_date_is_shown(world, client, session):
    from datetime import UTC, datetime

    user = world.a.member("cip").user
    user.last_login_at = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    session.commit()
    r = client.get(_login(client, user.email).location)
    assert "Dernière connexion : 14 mars 2026" in text_of(r)


def test_wrong_password_and_unknown_account_get_the_same_message(world, client):
    wrong = _login(client, world.a.member("eti").user.email, "pas-le-bon-mot-de-passe")
    unknown = _login(client, "personne@nulle-part.example.org")
    for r in (wrong, unknown):
        assert r.status_code == 422
        assert "Adresse e-mail ou mot de passe incorrect, ou compte désactivé." in text_of(r)
    # What the person typed is kept (except the password).
    assert 'value="personne@nulle-part.example.org"' in text_of(unknown)


def test_invalid_email_gets_a_french_message(client):
    r = client.post("/connexion", data={"email": "pas-une-adresse", "password": "x"})
    assert r.status_code == 422
    assert "Adresse e-mail invalide" in text_of(r)


def test_deactivated_everywhere_cannot_sign_in(world, client, session):
    member = world.a.member("director")
    member.is_active = False
    session.commit()
    r = _login(client, member.user.email)
    assert r.status_code == 422
    assert "compte désactivé" in text_of(r)


def test_two_structure_user_chooses_and_switches(world, client):
    r = _login(client, "deux.structures@example.org")
    assert r.location.endswith("/structures")
    page = text_of(client.get("/structures"))
    assert "ACI Alpha" in page and "Recyclerie Bêta" in page
    assert client.get(f"/s/{world.b.slug}/").status_code == 200
    # The home page links to the other structure.
    assert f"/s/{world.a.slug}/" in text_of(client.get(f"/s/{world.b.slug}/"))
    # Next time "/" goes to the structure used last.
    assert client.get("/").location.endswith(f"/s/{world.b.slug}/")


def test_logout_ends_the_session_even_for_a_copied_cookie(world, client):
    _login(client, world.a.member("eti").user.email)
    assert "Bonjour" in text_of(client.get(f"/s/{world.a.slug}/"))
    cookie = client.get_cookie("session").value
    r = client.post("/deconnexion")
    assert r.status_code == 303
    to_login = f"/connexion?next=%2Fs%2F{world.a.slug}%2F"
    home = client.get(f"/s/{world.a.slug}/")
    assert home.status_code == 302 and home.location == to_login
    # Replaying the old cookie does not work: the session nonce was rotated.
    client.set_cookie("session", cookie)
    home = client.get(f"/s/{world.a.slug}/")
    assert home.status_code == 302 and home.location == to_login


def test_wrong_passwords_never_lock_the_account_hard(world, client):
    """Nine wrong attempts used to lock the account for 15 minutes (finding 4)."""
    email = world.a.member("eti").user.email
    statuses = [_login(client, email, "mauvais").status_code for _ in range(5)]
    assert statuses == [422] * 5
    r = _login(client, email)  # during the short wait: a French message, no error page
    assert r.status_code == 429
    assert "Trop d'essais pour ce compte" in text_of(r) and "Code 429" not in text_of(r)
    # Another account from the same address is not slowed by this account's failures.
    assert _login(client, world.a.member("cip").user.email).status_code == 302


def test_session_protection_is_not_an_illusion(app):
    """Flask-Login's "strong" mode does nothing for permanent sessions: the per-user nonce
    and the 30 min idle / 12 h absolute limits are what protect."""
    from siae_app.extensions import login_manager

    assert login_manager.session_protection is None


def test_login_is_rate_limited_per_ip(app, client):
    statuses = [_login(client, f"inconnu{i}@example.org", "mauvais").status_code for i in range(31)]
    assert statuses[-1] == 429 and statuses[-2] == 422


def test_session_expires_after_12_hours(app, world, client_for):
    client = client_for(world.a.member("eti"))
    assert client.get(f"/s/{world.a.slug}/").status_code == 200
    with client.session_transaction() as sess:
        sess["started_at"] = time.time() - 12 * 3600 - 1
    r = client.get(f"/s/{world.a.slug}/")
    assert r.status_code == 302 and "/connexion" in r.location


def test_session_cookie_is_idle_limited_and_http_only(app, world, client):
    r = _login(client, world.a.member("eti").user.email)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 30 * 60
    assert "Expires=" in cookie


def test_root_redirects_anonymous_to_login(client):
    r = client.get("/")
    assert r.status_code == 302 and r.location.endswith("/connexion")


def test_choose_structure_requires_login(client):
    r = client.get("/structures")
    assert r.status_code == 302 and "/connexion" in r.location


def test_login_does_not_query_per_structure(world, app):
    """Signing in a two-structure user costs the same queries as a one-structure user."""
    from tests.querycount import count_queries

    counts = []
    for email in (world.a.member("eti").user.email, "deux.structures@example.org"):
        with count_queries() as counter:
            _login(app.test_client(), email)
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_rate_limits_are_shared_through_redis_when_configured(app, world):
    """Production keeps the counters in Redis (REDIS_URL), so every app server sees them."""
    import os

    import redis as redis_client

    from siae_app import create_app
    from tests.site import test_config as _config

    # A Redis database of its own per suite: `make test` runs the SQLite and PostgreSQL
    # suites side by side, and this test empties its database.
    url = f"redis://127.0.0.1:6379/{14 if os.environ.get('TEST_DATABASE_URL') else 15}"
    try:
        redis_client.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis_client.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        import pytest

        pytest.skip("Redis absent sur 127.0.0.1:6379")
    cfg = _config(app.config["SQLALCHEMY_DATABASE_URI"])
    cfg.update(RATELIMIT_STORAGE_URI=url, LOGIN_SLOWDOWN_AFTER=2)
    from siae_app.extensions import limiter

    # The Limiter object is module-wide: put the test app's memory storage back afterwards.
    saved = limiter._storage, limiter._limiter
    try:
        servers = [create_app(cfg), create_app(cfg)]
        redis_client.Redis.from_url(url).flushdb()
        email = world.a.member("eti").user.email
        statuses = []
        for i in range(3):  # alternate between two "servers"
            client = servers[i % 2].test_client()
            r = client.post("/connexion", data={"email": email, "password": "x"})
            statuses.append(r.status_code)
        assert type(limiter._storage).__name__ == "RedisStorage"
        # The second failure (on the other server) starts the wait the first server sees.
        assert statuses == [422, 422, 429]
    finally:
        redis_client.Redis.from_url(url).flushdb()
        limiter._storage, limiter._limiter = saved
