"""The application's PostgreSQL role sees one structure at most, whatever it sets.

Every test here runs raw SQL as the app's role (``app_connection``), i.e. what an SQL
injection in the web process could send.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.tenancy import token_for
from tests.site import APP_DB_ROLE, APP_KEY, ON_POSTGRES, app_role, set_database_role, set_structure

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement (rôles, RLS)")

# Settings an attacker would try; app.system was the former escape of the policies.
ESCAPES = [
    ("app.system", "on"),
    ("app.system", "true"),
    ("app.bypass_rls", "on"),
    ("app.all_structures", "on"),
    ("app.role", "system"),
    ("app.tenant", "system"),
]


def _tenant_tables(conn) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'structure_id' ORDER BY table_name"
        )
    )
    return [r[0] for r in rows]


def _rows_outside(conn, structure_id) -> dict[str, int]:
    found = {}
    for table in _tenant_tables(conn):
        n = conn.execute(
            text(f"SELECT count(*) FROM {table} WHERE structure_id <> :a"),  # noqa: S608
            {"a": structure_id},
        ).scalar()
        if n:
            found[table] = n
    return found


def test_the_app_role_is_not_owner_superuser_or_bypassrls(app_connection):
    role = app_connection.execute(
        text(
            "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
            "FROM pg_roles WHERE rolname = current_user"
        )
    ).one()
    assert tuple(role) == (APP_DB_ROLE, False, False, False, False)
    owns = app_connection.execute(
        text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')"
        )
    ).scalar()
    assert owns == 0


@pytest.mark.parametrize("is_local", [True, False], ids=["transaction", "session"])
def test_no_app_setting_reveals_another_structure(world, app_connection, is_local):
    conn = app_connection
    a = world.a.structure.id
    for name, value in ESCAPES:
        conn.execute(
            text("SELECT set_config(:n, :v, :local)"), {"n": name, "v": value, "local": is_local}
        )
        for structure_setting in ("", str(a)):
            conn.execute(
                text("SELECT set_config('app.structure_id', :s, :local)"),
                {"s": structure_setting, "local": is_local},
            )
            assert _rows_outside(conn, a) == {}, (name, value, structure_setting)
    with conn.begin_nested():
        conn.execute(text("RESET ALL"))  # back to the role's defaults: still nothing
        assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 0
    # The owner sees structure B's rows: the checks above had something to hide.
    set_database_role(conn, None)
    hidden = _rows_outside(conn, a)
    assert {"memberships", "teams", "activities", "scales", "scale_levels"} <= set(hidden)


def test_another_structures_id_without_its_signature_opens_nothing(world, app_connection):
    """What an SQL injection that learnt structure B's id could send: B's id alone, with a
    made-up signature, or with A's (the one the app set): no row of B, no row at all."""
    conn = app_connection
    a, b = world.a.structure.id, world.b.structure.id
    set_structure(conn, a)
    assert conn.execute(text("SELECT count(*) FROM teams")).scalar() > 0  # the app's own way
    for token in ("", "0" * 64, token_for(str(a), APP_KEY), token_for(str(b), APP_KEY)[:-1]):
        set_structure(conn, b, token=token)
        assert conn.execute(text("SELECT count(*) FROM teams")).scalar() == 0, token
        assert _rows_outside(conn, a) == {}, token
    # The key stays out of reach: no usage of its schema, no function that gives a signature.
    with pytest.raises(Exception, match="permission denied"), conn.begin_nested():
        conn.execute(text("SELECT key FROM app_private.tenant_key"))
    set_structure(conn, b)  # signed with the key: B's rows (only the app can do this)
    assert {r[0] for r in conn.execute(text("SELECT structure_id FROM teams"))} == {b}


def test_memberships_function_is_security_definer_and_not_public(_transaction):
    secdef, public_exec = _transaction.execute(
        text(
            "SELECT p.prosecdef, EXISTS (SELECT 1 FROM aclexplode(p.proacl) a "
            "WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') "
            "FROM pg_proc p WHERE p.proname = 'app_memberships_of'"
        )
    ).one()
    assert secdef is True and public_exec is False
    config = _transaction.execute(
        text("SELECT proconfig FROM pg_proc WHERE proname = 'app_memberships_of'")
    ).scalar()
    assert config == ["search_path=pg_catalog, pg_temp"]


def test_system_scope_in_the_web_process_unlocks_nothing(world, _transaction):
    """The ORM's system scope lifts the ORM filter only; the database still says no."""
    from sqlalchemy import select

    from siae_app.models import Team

    with app_role(_transaction):
        with tenancy.system_scope(db.session):
            teams = db.session.scalars(select(Team)).all()
        assert teams == []
        with pytest.raises(tenancy.SystemRoleRequiredError, match="propriétaire"):
            tenancy.activate_system_checked(db.session)
    tenancy.activate_system_checked(db.session)  # the owner may
    assert len(db.session.scalars(select(Team)).all()) >= 4


def test_operator_commands_refuse_the_app_role(app, world, _transaction):
    runner = app.test_cli_runner()
    with app_role(_transaction):
        result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "lancez-la avec l'URL du propriétaire" in result.output
