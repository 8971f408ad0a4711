"""Test fixtures: one database per session (migrated), one rolled-back transaction per test,
and a world of two structures with a member of each role in both.

TEST_DATABASE_URL (the owner's URL) switches the suite to PostgreSQL. The test connection is
the owner's: the migrations, the world and the test code's own reads and writes cross
structures as the owner (like the CLI in production). Every request the test makes runs as
the application's role (``SET ROLE``, a non-owner without BYPASSRLS), so the pages are served
under row-level security exactly as in production. ``app_role(connection)`` does the same for
a block of test code.
"""

from __future__ import annotations

import pytest
from flask import request_started
from flask_migrate import upgrade
from sqlalchemy import event, select

from siae_app import create_app, tenancy
from siae_app.blueprints.scope import SLUG_HINTS
from siae_app.extensions import AppSession, db, limiter
from siae_app.models import (
    Membership,
    Structure,
)
from tests import demo_db as demo_database
from tests import world_db as world_database
from tests.site import (
    APP_DB_ROLE,
    ON_POSTGRES,
    PG_OWNER_URL,
    World,
    app_role,
    build_world,
    login,
    set_database_role,
    test_config,
)


def _migrate(url: str) -> None:
    owner_app = create_app(test_config(url))
    with owner_app.app_context():
        upgrade()
        if ON_POSTGRES:
            from click.testing import CliRunner

            from siae_app.cli import dbrole_cli

            result = CliRunner().invoke(dbrole_cli, ["setup", APP_DB_ROLE], obj=None)
            assert result.exit_code == 0, result.output
            # Tables the test code creates in any schema (temporary tables of fixtures) are
            # usable by the requests it makes, as the public schema's tables are.
            with db.engine.begin() as conn:
                conn.exec_driver_sql(
                    "ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE "
                    f'ON TABLES TO "{APP_DB_ROLE}"'
                )
        db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    if ON_POSTGRES:
        _migrate(PG_OWNER_URL)
        url = PG_OWNER_URL  # requests switch to APP_DB_ROLE (see _transaction)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        _migrate(url)
    application = create_app(test_config(url))
    yield application
    with application.app_context():
        db.engine.dispose()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "demo: runs on the session's demo database (tests/demo_db.py), not the world's"
    )


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo database (tests/demo_db.py): migrated, the demo loaded twice, shared."""
    url = demo_database.create_empty(tmp_path_factory)
    _migrate(url)
    demo = demo_database.load(url)
    yield demo
    demo_database.drop(demo)


FLUSHED_UNCOMMITTED = "flushed_uncommitted"


def _note_flush(session, _flush_context) -> None:
    session.info[FLUSHED_UNCOMMITTED] = True


def _forget_flush(session) -> None:
    session.info.pop(FLUSHED_UNCOMMITTED, None)


@pytest.fixture(scope="session")
def _worlds(tmp_path_factory):
    """The session's world databases (tests/world_db.py): one a day, built at the first test
    that asks for it."""

    def make():
        url = world_database.create_empty(tmp_path_factory)
        _migrate(url)
        return world_database.build(url, _joined_session)

    worlds = world_database.Worlds(make)
    yield worlds
    worlds.close()


@pytest.fixture
def world_db(_worlds):
    """The world's database of the day: migrated, the world built once, shared."""
    return _worlds.of_today()


def _joined_session(connection):
    """A scoped session joined to ``connection``'s outer transaction with savepoints."""
    return db._make_scoped_session(
        {
            "class_": AppSession,
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "expire_on_commit": False,
            "info": {"tenant": tenancy.SYSTEM},
            "scopefunc": lambda: "test",
        }
    )


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside one outer transaction that is rolled back at the end (of the
    demo database for a test marked ``demo``, of the world's database for a test that asks
    for ``world``, else of the test database).

    The session joins it with savepoints, so the app's own commit() at the end of each
    request only releases a savepoint. A constant scope lets the test and the requests it
    makes share the session registry; each request still starts with no tenant active.
    """
    if "no_db" in request.keywords:
        yield None
        return
    if request.node.get_closest_marker("demo"):
        engine = request.getfixturevalue("demo_db").engine
    elif "world" in request.fixturenames:
        engine = request.getfixturevalue("world_db").engine
    else:
        with app.app_context():
            engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = _joined_session(connection)

    # Requests share the test's session (objects stay attached) but run as the app's role;
    # at each request's end, instead of closing the session, go back to the owner and the
    # system scope the test code works in.
    serving = {"request": False}

    def as_app_role(sender, **extra):
        set_database_role(connection, APP_DB_ROLE)
        serving["request"] = True

    def back_to_test_code():
        # As production's remove() does at a request's end, what the request flushed and did
        # not commit is lost: a view that forgets its commit must fail here, not pass. (Test
        # code's own request contexts keep what they flushed, committed as before.)
        flushed = db.session().info.pop(FLUSHED_UNCOMMITTED, False)
        if serving["request"] and flushed:
            db.session.rollback()
        serving["request"] = False
        set_database_role(connection, None)
        tenancy.activate_system(db.session)

    db.session.remove = back_to_test_code
    test_session = db.session()
    event.listen(test_session, "after_flush", _note_flush)
    event.listen(test_session, "after_commit", _forget_flush)
    event.listen(test_session, "after_rollback", _forget_flush)
    request_started.connect(as_app_role, app)
    limiter.reset()
    # Each test's world has new ids under the same slugs: a hint left by an earlier test would
    # only cost a lookup, but would make query counts depend on the order of the tests.
    app.extensions.pop(SLUG_HINTS, None)
    try:
        yield connection
    finally:
        request_started.disconnect(as_app_role, app)
        db.session.close()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def session(_transaction):
    """The test's own session, in system scope (sees both structures)."""
    tenancy.activate_system(db.session)
    return db.session


@pytest.fixture
def app_connection(_transaction):
    """The test's connection as the application's role (PostgreSQL), for raw SQL checks."""
    with app_role(_transaction):
        yield _transaction


@pytest.fixture
def world(session, request) -> World:
    """The session's world, as objects of this test's own (tests/world_db.py)."""
    built = request.getfixturevalue("world_db")
    if session.get_bind().engine is not built.engine:  # asked for late (getfixturevalue)
        return build_world()
    return world_database.copy_into(session, built.pristine)


@pytest.fixture
def client_for(app):
    """client_for(membership_or_user) -> a test client signed in as that person."""

    def make(who):
        user = who.user if isinstance(who, Membership) else who
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = "Werkzeug/test"
        login(app, client, user)
        # As for a person who already opened their structures in this process: the first
        # request of a test costs what the next ones do (tests/test_request_path.py checks
        # the other path), so query counts compare like with like.
        hints = app.extensions.setdefault(SLUG_HINTS, {})
        with tenancy.system_scope(db.session):
            for structure in db.session.scalars(
                select(Structure).join(Membership).where(Membership.user_id == user.id)
            ):
                hints[structure.slug] = structure.id
        return client

    return make


@pytest.fixture
def client(app):
    c = app.test_client()
    c.environ_base["HTTP_USER_AGENT"] = "Werkzeug/test"
    return c
