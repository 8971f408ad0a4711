"""Test fixtures: one database per session (migrated), one rolled-back transaction per test,
and a world of two structures with a member of each role in both.

TEST_DATABASE_URL (the owner's URL) switches the suite to PostgreSQL: migrations run as the
owner, and the app connects as a separate role that does not own the tables (RLS applies).
"""

from __future__ import annotations

import html
import os
import time
from dataclasses import dataclass, field

import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from config.settings import TestConfig
from siae_app import create_app, tenancy
from siae_app.extensions import AppSession, db, limiter, login_manager
from siae_app.models import (
    Activity,
    Framework,
    FrameworkImport,
    Membership,
    Role,
    Scale,
    Structure,
    Team,
)
from siae_app.services.scales import create_default_scale
from tests import factories as f

PG_OWNER_URL = os.environ.get("TEST_DATABASE_URL")
ON_POSTGRES = bool(PG_OWNER_URL)
APP_DB_ROLE = "siae_app_test"


def _config(url: str) -> dict:
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    return cfg


def _migrate(url: str) -> None:
    owner_app = create_app(_config(url))
    with owner_app.app_context():
        upgrade()
        if ON_POSTGRES:
            from click.testing import CliRunner

            from siae_app.cli import dbrole_cli

            result = CliRunner().invoke(dbrole_cli, ["setup", APP_DB_ROLE], obj=None)
            assert result.exit_code == 0, result.output
        db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    if ON_POSTGRES:
        _migrate(PG_OWNER_URL)
        url = make_url(PG_OWNER_URL).set(username=APP_DB_ROLE).render_as_string(False)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        _migrate(url)
    application = create_app(_config(url))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside one outer transaction that is rolled back at the end.

    The session joins it with savepoints, so the app's own commit() at the end of each
    request only releases a savepoint. A constant scope lets the test and the requests it
    makes share the session registry; each request still starts with no tenant active.
    """
    if "no_db" in request.keywords:
        yield None
        return
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {
            "class_": AppSession,
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "expire_on_commit": False,
            "info": {"tenant": tenancy.SYSTEM},
            "scopefunc": lambda: "test",
        }
    )
    # Requests share the test's session (objects stay attached); at each request's end,
    # instead of closing it, go back to the system scope the test code works in.
    db.session.remove = lambda: tenancy.activate_system(db.session)
    limiter.reset()
    try:
        yield connection
    finally:
        db.session.close()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def session(_transaction):
    """The test's own session, in system scope (sees both structures)."""
    tenancy.activate_system(db.session)
    return db.session


@dataclass
class Site:
    """One structure of the world, with a member of each role and some objects."""

    structure: Structure
    members: dict[str, Membership] = field(default_factory=dict)
    team: Team | None = None
    other_team: Team | None = None
    activity: Activity | None = None
    scale: Scale | None = None
    framework: Framework | None = None
    draft: FrameworkImport | None = None

    @property
    def slug(self) -> str:
        return self.structure.slug

    def member(self, role: str) -> Membership:
        return self.members[role]


ROLE_KEYS = [r.value for r in Role]


def build_site(slug: str, name: str) -> Site:
    structure = f.StructureFactory(slug=slug, name=name)
    site = Site(structure=structure)
    for role in Role:
        site.members[role.value] = f.MembershipFactory(
            structure=structure,
            roles=[role.value],
            user=f.UserFactory(email=f"{role.value}.{slug}@example.org"),
        )
    site.members["all"] = f.MembershipFactory(
        structure=structure,
        roles=ROLE_KEYS,
        user=f.UserFactory(email=f"toutes-fonctions.{slug}@example.org"),
    )
    # The person the admin screens act on in route sweeps (never signed in by a test client).
    site.members["target"] = f.MembershipFactory(
        structure=structure, roles=["eti"], user=f.UserFactory(email=f"cible.{slug}@example.org")
    )
    site.scale = create_default_scale(db.session, structure.id)
    db.session.commit()
    site.activity = f.ActivityFactory(structure_id=structure.id, name=f"Espaces verts {slug}")
    site.team = f.TeamFactory(
        structure_id=structure.id, name=f"Équipe Nord {slug}", activity_id=site.activity.id
    )
    site.other_team = f.TeamFactory(structure_id=structure.id, name=f"Équipe Sud {slug}")
    f.TeamSupervisorFactory(
        structure_id=structure.id, team_id=site.team.id, membership_id=site.members["eti"].id
    )
    with tenancy.tenant_scope(db.session, structure.id):
        site.framework = f.make_framework(f"Savoir-être {slug}")
        site.draft = f.make_import_draft(site.members["coordinator"], f"Gestes {slug}")
    db.session.commit()
    return site


@dataclass
class World:
    a: Site
    b: Site
    shared_user_membership_a: Membership
    shared_user_membership_b: Membership


@pytest.fixture
def world(session) -> World:
    a = build_site("alpha", "ACI Alpha")
    b = build_site("beta", "Recyclerie Bêta")
    shared = f.UserFactory(email="deux.structures@example.org")
    ma = f.MembershipFactory(structure=a.structure, user=shared, roles=["eti"])
    mb = f.MembershipFactory(structure=b.structure, user=shared, roles=["cip"])
    return World(a=a, b=b, shared_user_membership_a=ma, shared_user_membership_b=mb)


def login(app, client, user) -> None:
    """Sign the client in as ``user`` without a password round-trip (speed)."""
    with app.test_request_context(headers={"User-Agent": "Werkzeug/test"}):
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["_id"] = identifier
        sess["started_at"] = time.time()


@pytest.fixture
def client_for(app):
    """client_for(membership_or_user) -> a test client signed in as that person."""

    def make(who):
        user = who.user if isinstance(who, Membership) else who
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = "Werkzeug/test"
        login(app, client, user)
        return client

    return make


@pytest.fixture
def client(app):
    c = app.test_client()
    c.environ_base["HTTP_USER_AGENT"] = "Werkzeug/test"
    return c


def text_of(response) -> str:
    """The response body with HTML entities decoded, as a person would read the text."""
    return html.unescape(response.get_data(as_text=True))
