"""The PostgreSQL set-up of docs/exploitation.md (« PostgreSQL : deux URL, deux rôles »), run for
real on a scratch database.

A non-superuser owner (like a managed PostgreSQL's) creates the tables (`flask db upgrade`),
prepares the application's role (`flask dbrole setup ROLE --password …`) and loads the demo
(cross-structure work, as the owner); the app then runs with the role's URL, serves pages that
read data, and that role cannot read across structures whatever `app.*` setting it sends.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from siae_app import create_app, tenancy
from siae_app.demo import DEMO_PASSWORD, SHARED_EMAIL
from siae_app.extensions import db
from tests.database.test_roles import ESCAPES
from tests.site import ON_POSTGRES, PG_OWNER_URL, role_name, test_config, text_of

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="TEST_DATABASE_URL absente (PostgreSQL)"),
    pytest.mark.no_db,
]

APP_PASSWORD = "mot-de-passe-du-role-applicatif"  # noqa: S105 - scratch database only


def _server(**kw):
    url = make_url(PG_OWNER_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        dbname="postgres",
        autocommit=True,
        **kw,
    )


def _drop(conn, database: str, roles: list[str]) -> None:
    conn.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
    )
    for role in roles:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def scratch():
    """(owner URL, app URL, app role) of a fresh database owned by a non-superuser."""
    database = role_name("readme")
    owner, role = role_name("readme_owner"), role_name("readme_app")
    base = make_url(PG_OWNER_URL)
    with _server() as conn:
        _drop(conn, database, [role, owner])
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE").format(sql.Identifier(owner)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(database), sql.Identifier(owner)
            )
        )
    owner_url = base.set(username=owner, password=None, database=database)
    app_url = base.set(username=role, password=APP_PASSWORD, database=database)
    try:
        yield (
            owner_url.render_as_string(hide_password=False),
            app_url.render_as_string(hide_password=False),
            role,
        )
    finally:
        with _server() as conn:
            _drop(conn, database, [role, owner])


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _owner_steps(owner_url: str, role: str) -> None:
    owner_app = create_app(test_config(owner_url))
    runner = owner_app.test_cli_runner()
    try:
        for args in (
            ["db", "upgrade"],
            ["dbrole", "setup", role, "--password", APP_PASSWORD],
            ["demo", "load"],
        ):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, (args, result.output, result.exception)
    finally:
        _dispose(owner_app)


def _serve_pages(app_url: str) -> None:
    web = create_app(test_config(app_url))
    client = web.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "Werkzeug/test"
    try:
        response = client.post(
            "/connexion", data={"email": SHARED_EMAIL, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, text_of(response)
        chooser = text_of(client.get("/structures"))
        # Both structures of this person, read through app_memberships_of.
        assert "ACI Les Jardins du Val" in chooser
        assert "L'Établi, recyclerie solidaire" in chooser
        teams = client.get("/s/recyclerie-etabli/equipes/")
        assert teams.status_code == 200
        page = text_of(teams)
        assert "Équipe boutique" in page and "Équipe espaces verts Nord" not in page
        assert client.get("/s/jardins-du-val/").status_code == 200
    finally:
        _dispose(web)


def _role_cannot_cross(app_url: str, role: str) -> None:
    url = make_url(app_url)
    key = tenancy.signing_key(test_config(app_url)["SECRET_KEY"])  # the app's, as it signs
    with psycopg.connect(
        host=url.host, port=url.port, user=role, password=APP_PASSWORD, dbname=url.database
    ) as conn:
        attrs = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert attrs == (False, False)
        mine = conn.execute("SELECT id FROM structures WHERE slug = 'jardins-du-val'").fetchone()
        for name, value in ESCAPES:
            conn.execute("SELECT set_config(%s, %s, false)", (name, value))
            for structure_id in ("", str(mine[0])):
                conn.execute(
                    "SELECT set_config('app.structure_id', %s, false), "
                    "set_config('app.structure_token', %s, false)",
                    (structure_id, tenancy.token_for(structure_id, key)),
                )
                for table in ("memberships", "teams", "activities", "frameworks", "scales"):
                    other = conn.execute(
                        sql.SQL("SELECT count(*) FROM {} WHERE structure_id <> %s").format(
                            sql.Identifier(table)
                        ),
                        (mine[0],),
                    ).fetchone()
                    assert other == (0,), (name, table)
        seen = conn.execute("SELECT count(*) FROM teams").fetchone()
        assert seen == (2,)  # its own structure's teams, nothing more


def test_readme_postgresql_setup(scratch):
    owner_url, app_url, role = scratch
    _owner_steps(owner_url, role)
    _serve_pages(app_url)
    _role_cannot_cross(app_url, role)
