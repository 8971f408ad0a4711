"""Two app servers behind one address behave as one: what a person does on one is known to
the other, because everything lives in PostgreSQL and Redis, nothing in a server's memory.

Two Flask apps (two ``create_app()`` with the same settings, the same PostgreSQL test database
and the same Redis), not two gunicorn processes: the test's rolled-back transaction (and so its
world) is visible to in-process apps only. What one process could keep to itself is the rate
limiter's storage (one object per process): ``other_process`` gives it a fresh one, opened from
the settings, before each request on the other server, as a second process would have. With
``memory://`` every count would then start from zero: these tests fail. The sessions (signed
cookies, session rows), the drafts' owner marker and the export's archive need no such step:
a server holds nothing of them. bench/load.py --servers 2 runs two real gunicorn processes.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import request_started
from limits.storage import storage_from_string

from siae_app import create_app
from siae_app.extensions import limiter
from siae_app.models import BatchStatus
from tests.factories import TEST_PASSWORD
from tests.site import APP_DB_ROLE, ON_POSTGRES, set_database_role, text_of

REDIS_URL = "redis://127.0.0.1:6379/0"

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="avec la suite PostgreSQL")


@pytest.fixture
def redis():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    client = Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except RedisDown:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    return client


def other_process(app) -> None:
    """The rate limiter's storage as a freshly started server process opens it."""
    limiter._storage = storage_from_string(
        app.config["RATELIMIT_STORAGE_URI"], **(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    )
    limiter._limiter = type(limiter._limiter)(limiter._storage)


class Server:
    """One of the two servers; ``browser`` carries one person's cookies to either."""

    def __init__(self, app, cookies: dict | None = None):
        self.app = app
        self.client = app.test_client()
        self.client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (test deux serveurs)"
        # A person's own address (the per-address limit is another test's subject).
        self.client.environ_base["REMOTE_ADDR"] = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
        if cookies is not None:
            self.client._cookies = cookies  # the same browser

    def __getattr__(self, name):
        method = getattr(self.client, name)

        def call(*args, **kwargs):
            other_process(self.app)
            return method(*args, **kwargs)

        return call


@pytest.fixture
def servers(app, redis, _transaction):
    """(a, b): the suite's app and a second one with the same settings, both on Redis (rate
    limits and sign-in counters under a key prefix of this test, jobs on a queue of its
    own). Each request on b runs as the application's role, as on a."""
    tag = f"test-two-servers-{uuid.uuid4().hex}"
    shared = {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": tag},
        "JOBS_QUEUE": tag,
        "LOGIN_RATE_LIMIT_IP": "4 per minute",
    }
    saved = {k: app.config.get(k) for k in shared}
    app.config.update(shared)
    second = create_app(dict(app.config))

    def as_app_role(sender, **extra):
        set_database_role(_transaction, APP_DB_ROLE)

    request_started.connect(as_app_role, second)
    try:
        yield app, second
    finally:
        request_started.disconnect(as_app_role, second)
        for key, value in saved.items():
            if value is None:
                app.config.pop(key, None)
            else:
                app.config[key] = value
        other_process(app)  # the suite's limiter storage again (memory), for the next tests
        for key in redis.scan_iter(f"{tag}*"):
            redis.delete(key)
        from rq import Queue

        Queue(tag, connection=redis).delete(delete_jobs=True)


def _sign_in(server: Server, email: str, password: str = TEST_PASSWORD):
    return server.post("/connexion", data={"email": email, "password": password})


def test_signed_in_on_one_server_continues_on_the_other(world, servers):
    a, b = servers
    on_a = Server(a)
    on_b = Server(b, on_a.client._cookies)
    eti = world.a.member("eti")
    r = _sign_in(on_a, eti.user.email)
    assert r.status_code == 302 and r.location == f"/s/{world.a.slug}/"
    page = on_b.get(f"/s/{world.a.slug}/")
    assert page.status_code == 200
    assert world.a.structure.name in text_of(page)
    # Signing out on b ends the session on a too.
    on_b.post("/deconnexion")
    assert on_a.get(f"/s/{world.a.slug}/").status_code == 302


def test_wrong_passwords_count_across_both_servers(world, servers):
    a, b = servers
    email = world.a.member("cip").user.email
    for server in (a, b, a, b):
        r = _sign_in(Server(server), email, "mauvais-mot-de-passe")
        assert r.status_code == 422
    fifth = _sign_in(Server(a), email, "mauvais-mot-de-passe")
    assert "Patientez 2 secondes" in text_of(fifth)
    # On the other server, from another browser, even the right password waits.
    r = _sign_in(Server(b), email)
    assert r.status_code == 429 and "Trop d'essais pour ce compte" in text_of(r)


def test_the_per_address_rate_limit_counts_across_both_servers(world, servers):
    a, b = servers
    address = {"REMOTE_ADDR": f"192.0.2.{uuid.uuid4().int % 250 + 1}"}
    for n, server in enumerate((a, b, a, b)):
        r = Server(server).post(
            "/connexion",
            data={"email": f"inconnu{n}@example.org", "password": "x"},
            environ_base=address,
        )
        assert r.status_code == 422
    r = Server(b).post(
        "/connexion", data={"email": "inconnu9@example.org", "password": "x"}, environ_base=address
    )
    assert r.status_code == 429
    # Another address is not held.
    r = Server(a).post(
        "/connexion",
        data={"email": "inconnu9@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert r.status_code == 422


def _draft_owner(response) -> str:
    return re.search(r'data-user="([0-9a-f]{16})"', text_of(response)).group(1)


def test_a_draft_typed_on_one_server_is_restored_on_the_other(world, servers):
    """The draft waits in the browser (app.js) under the person's marker; after the session
    expires, signing in on the other server serves the form page with the same marker, which
    is what app.js restores the draft on."""
    a, b = servers
    slug, cip = world.a.slug, world.a.member("cip")
    form_page = f"/s/{slug}/equipes/nouvelle"
    on_a = Server(a)
    on_b = Server(b, on_a.client._cookies)
    # Signed in on a (the second factor passed), typing on the form page.
    from tests.site import login

    login(a, on_a.client, cip.user)
    typing = on_a.get(form_page)
    assert typing.status_code == 200 and "Nouvelle équipe" in text_of(typing)
    typed_on = _draft_owner(typing)
    # The session expires; the form is sent to a, which sends to the sign-in page.
    on_a.client._cookies.clear()
    sent = on_a.post(form_page, data={"name": "Équipe Est"}, headers={"Referer": form_page})
    assert sent.status_code == 302
    assert parse_qs(urlsplit(sent.location).query)["next"] == [form_page]
    assert "data-session-expired" in text_of(on_b.get(sent.location))
    # Signed in again on b: the form page carries the same owner, the draft comes back.
    login(b, on_b.client, cip.user)
    again = on_b.get(form_page)
    assert again.status_code == 200 and _draft_owner(again) == typed_on
    other = Server(b)
    login(b, other.client, world.a.member("coordinator").user)
    assert _draft_owner(other.get(form_page)) != typed_on  # never someone else's


def test_an_export_queued_on_one_server_is_downloaded_from_the_other(
    world, servers, session, redis
):
    from rq import Queue, SimpleWorker

    from tests.attestations.test_batch import PERIOD, _batch, _leavers

    a, b = servers
    site = world.a
    expected = _leavers(site, session)
    on_a = Server(a)
    on_b = Server(b, on_a.client._cookies)
    from tests.site import login

    login(a, on_a.client, site.member("director").user)
    r = on_a.post(f"/s/{site.slug}/attestations/lots", data=PERIOD)
    assert r.status_code == 303
    batch = _batch(session, site)
    assert batch.status == BatchStatus.QUEUED
    queue = Queue(a.config["JOBS_QUEUE"], connection=redis)
    assert queue.count == 1
    with b.app_context():  # the worker: a third process, any server's settings
        SimpleWorker([queue], connection=redis).work(burst=True)
    progress = on_b.get(f"/s/{site.slug}/attestations/lots/{batch.id}")
    assert "Terminé" in text_of(progress)
    archive = on_b.get(f"/s/{site.slug}/attestations/lots/{batch.id}/archive.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(archive.data)).namelist()) == len(expected)
