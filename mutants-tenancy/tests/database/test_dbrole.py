"""flask dbrole setup: creates the application's role, with a password, re-runnable."""

from __future__ import annotations

import base64
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from siae_app.cli.dbrole import scram_sha256_verifier
from siae_app.records import record_tables
from tests.site import ON_POSTGRES, PG_OWNER_URL, role_name

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement")

# Quotes, %, $, ; and a comment: anything an unquoted or half-quoted DDL would choke on.
PASSWORD = "it's 100% $ecret'; DROP ROLE postgres; --"


def _connect(user: str | None = None, password: str | None = None, **kw):
    url = make_url(PG_OWNER_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=user or url.username,
        password=password,
        dbname=url.database,
        **kw,
    )


@contextmanager
def _scratch_role(name: str):
    try:
        yield name
    finally:
        with _connect(autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            if exists.fetchone():
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def _stored_secret(role: str) -> str | None:
    with _connect() as conn:
        row = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,))
        return row.fetchone()[0]


@postgres_only
@pytest.mark.no_db
def test_setup_with_a_password_creates_a_role_that_signs_in_over_tcp(app):
    runner = app.test_cli_runner()
    with _scratch_role(role_name("dbrole_check")) as role:
        for _ in range(2):  # re-runnable
            result = runner.invoke(args=["dbrole", "setup", role, "--password", PASSWORD])
            assert result.exit_code == 0, result.output
            assert f"Rôle {role} prêt" in result.output
        secret = _stored_secret(role)
        assert secret.startswith("SCRAM-SHA-256$4096:")
        with _connect(user=role, password=PASSWORD) as conn:
            who = conn.execute(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user"
            ).fetchone()
            assert who == (role, False, False)
            # Granted, and under row-level security: no structure set, no row.
            assert conn.execute("SELECT count(*) FROM memberships").fetchone() == (0,)
            assert conn.execute(
                "SELECT count(*) FROM app_memberships_of(gen_random_uuid())"
            ).fetchone() == (0,)
        # A run without --password keeps the password.
        assert runner.invoke(args=["dbrole", "setup", role]).exit_code == 0
        assert _stored_secret(role) == secret


@postgres_only
@pytest.mark.no_db
def test_client_side_scram_matches_what_the_server_computes(app):
    """The secret sent by dbrole equals PostgreSQL's own hash of the same password."""
    with _scratch_role(role_name("scram_check")) as role:
        with _connect(autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(PASSWORD)
                )
            )
        server = _stored_secret(role)
        salt = base64.b64decode(server.split("$")[1].split(":")[1])
        assert scram_sha256_verifier(PASSWORD, salt) == server


@postgres_only
@pytest.mark.no_db
def test_setup_refuses_the_owner_and_bad_input(app):
    runner = app.test_cli_runner()
    owner = make_url(PG_OWNER_URL).username
    result = runner.invoke(args=["dbrole", "setup", owner])
    assert result.exit_code == 1 and "possède les tables" in result.output
    result = runner.invoke(args=["dbrole", "setup", 'x"; DROP TABLE users; --'])
    assert result.exit_code == 1 and "Nom de rôle invalide" in result.output
    result = runner.invoke(args=["dbrole", "setup", "siae_x", "--password", "façade"])
    assert result.exit_code == 1 and "non ASCII" in result.output


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite seulement")
def test_setup_on_sqlite_says_it_is_for_postgresql(app):
    result = app.test_cli_runner().invoke(args=["dbrole", "setup", "siae_app"])
    assert result.exit_code == 1 and "réservée à PostgreSQL" in result.output


def _table_privileges(conn, role: str, table: str) -> set[str]:
    rows = conn.execute(
        "SELECT privilege_type FROM information_schema.role_table_grants "
        "WHERE grantee = %s AND table_schema = 'public' AND table_name = %s",
        (role, table),
    )
    return {r[0] for r in rows}


def _default_privileges(conn, role: str) -> set[str]:
    rows = conn.execute(
        "SELECT a.privilege_type FROM pg_default_acl d, aclexplode(d.defaclacl) a "
        "WHERE d.defaclnamespace = 'public'::regnamespace AND d.defaclobjtype = 'r' "
        "AND a.grantee = %s::regrole",
        (role,),
    )
    return {r[0] for r in rows}


@postgres_only
@pytest.mark.no_db
def test_setup_takes_back_what_an_earlier_version_granted_on_the_records(app):
    """A role prepared before the records were append-only (UPDATE, DELETE on every table,
    and by default on new ones): running setup again leaves SELECT, INSERT on the records."""
    runner = app.test_cli_runner()
    with _scratch_role(role_name("dbrole_records")) as role:
        assert runner.invoke(args=["dbrole", "setup", role]).exit_code == 0
        who = sql.Identifier(role)
        with _connect(autocommit=True) as conn:
            for table in record_tables():
                conn.execute(
                    sql.SQL("GRANT UPDATE, DELETE, TRUNCATE ON {} TO {}").format(
                        sql.Identifier(table), who
                    )
                )
            conn.execute(
                sql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT UPDATE, DELETE ON TABLES TO {}"
                ).format(who)
            )
            assert "TRUNCATE" in _table_privileges(conn, role, "access_logs")
        result = runner.invoke(args=["dbrole", "setup", role])
        assert result.exit_code == 0, result.output
        with _connect() as conn:
            for table in record_tables():
                assert _table_privileges(conn, role, table) == {"SELECT", "INSERT"}, table
            assert _table_privileges(conn, role, "employees") == {
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
            }
            assert _default_privileges(conn, role) == {"SELECT", "INSERT"}
        assert "journaux et historiques en lecture et ajout seulement" in result.output
