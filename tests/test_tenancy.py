"""Isolation between structures: URL sweep, ORM fail-closed, database row-level security."""

from __future__ import annotations

import pytest
from sqlalchemy import event, inspect, select, text, update
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Base, Membership, Team, TenantScoped, User
from tests.routes import ID_ARGS, build_path, methods, structure_rules
from tests.site import APP_KEY, ON_POSTGRES, set_structure, text_of


def test_every_route_with_an_id_of_another_structure_is_404(app, world, client_for):
    """Structure A's all-roles member asks for B's objects under A's URL: never found."""
    client = client_for(world.a.member("all"))
    checked = 0
    for rule in structure_rules(app):
        if not any(arg in ID_ARGS for arg in rule.arguments):
            continue
        path = build_path(app, rule, world.a, id_site=world.b)
        for method in methods(rule):
            response = client.open(path, method=method, data={})
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"
            assert "Page introuvable" in text_of(response)
            checked += 1
    assert checked >= 8  # the sweep really ran over the id routes


def test_every_route_of_a_structure_one_does_not_belong_to_is_404(app, world, client_for):
    client = client_for(world.a.member("all"))
    for rule in structure_rules(app):
        path = build_path(app, rule, world.b)
        for method in methods(rule):
            response = client.open(path, method=method, data={})
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"
            body = text_of(response)
            assert "Page introuvable" in body and "Recyclerie Bêta" not in body, path


def test_deactivated_membership_is_like_no_membership(app, world, client_for, session):
    member = world.a.member("cip")
    member.is_active = False
    session.commit()
    client = client_for(world.shared_user_membership_a)  # a user still active elsewhere
    home = client.get(f"/s/{world.a.slug}/")
    assert home.status_code == 200 and "ACI Alpha" in text_of(home)
    world.shared_user_membership_a.is_active = False
    session.commit()
    home = client.get(f"/s/{world.a.slug}/")
    assert home.status_code == 404 and "Page introuvable" in text_of(home)
    assert "ACI Alpha" not in text_of(home)
    home = client.get(f"/s/{world.b.slug}/")
    assert home.status_code == 200 and "Recyclerie Bêta" in text_of(home)


def test_anonymous_is_sent_to_login_for_every_structure_route(app, world, client):
    for rule in structure_rules(app):
        path = build_path(app, rule, world.a)
        response = client.get(path) if "GET" in rule.methods else client.post(path)
        assert response.status_code == 302, path
        assert "/connexion" in response.location


def test_select_without_active_tenant_fails_closed(world):
    tenancy.deactivate(db.session)
    with pytest.raises(tenancy.TenantNotSetError):
        db.session.scalars(select(Team)).all()


def test_orm_filters_every_select_by_active_tenant(world):
    tenancy.activate(db.session, world.a.structure.id)
    names = {t.name for t in db.session.scalars(select(Team))}
    assert names == {world.a.team.name, world.a.other_team.name}
    # Even an explicit filter on B's id finds nothing.
    assert db.session.scalar(select(Team).where(Team.id == world.b.team.id)) is None
    # Joins are filtered too.
    rows = db.session.execute(
        select(Membership.id).join(Team, Team.structure_id == Membership.structure_id)
    ).all()
    assert rows and all(
        m in {x.id for x in world.a.members.values()} | {world.shared_user_membership_a.id}
        for (m,) in rows
    )


def test_a_select_without_a_structure_says_so_in_french(world):
    tenancy.deactivate(db.session)
    with pytest.raises(
        tenancy.TenantNotSetError, match=r"^Aucune structure active pour cette requête\.$"
    ):
        db.session.scalars(select(Team)).all()


def test_a_select_of_tables_without_structure_needs_no_structure(world):
    """Accounts are not a structure's rows: reading them with nothing active is allowed."""
    tenancy.deactivate(db.session)
    emails = set(db.session.scalars(select(User.email)))
    assert world.a.member("eti").user.email in emails


def test_a_write_without_a_structure_is_refused_in_french(world):
    tenancy.deactivate(db.session)
    db.session.add(Team(structure_id=world.a.structure.id, name="Sans structure"))
    with pytest.raises(
        tenancy.TenantNotSetError, match=r"^Écriture sans structure active refusée\.$"
    ):
        db.session.flush()
    db.session.rollback()


def test_rows_without_structure_do_not_stop_the_check_of_the_rows_after_them(world):
    """A flush that first writes an account (no structure_id) still checks every tenant row
    after it: another structure's team is refused, nothing is written."""
    tenancy.activate(db.session, world.a.structure.id)
    db.session.add(User(email="premier.ecrit@example.org", first_name="Premier", last_name="Écrit"))
    db.session.add(Team(structure_id=world.b.structure.id, name="Intruse après un compte"))
    with pytest.raises(
        tenancy.TenantNotSetError, match=r"^Écriture dans une autre structure refusée\.$"
    ):
        db.session.flush()
    db.session.rollback()
    with tenancy.system_scope(db.session):
        assert db.session.scalar(select(Team).where(Team.name == "Intruse après un compte")) is None


def test_writes_into_another_structure_are_refused(world):
    tenancy.activate(db.session, world.a.structure.id)
    db.session.add(Team(structure_id=world.b.structure.id, name="Intruse"))
    with pytest.raises(tenancy.TenantNotSetError):
        db.session.flush()
    db.session.rollback()


def _b_team_as_built(world) -> tuple[str, object]:
    """B's team as the database holds it (read in system scope, after the test's rollback)."""
    db.session.expire_all()
    with tenancy.system_scope(db.session):
        team = db.session.get(Team, world.b.team.id)
        return (team.name if team else None), (team.structure_id if team else None)


@pytest.mark.parametrize(
    "change",
    ["edit", "delete", "move_into_a"],
)
def test_a_loaded_row_of_another_structure_cannot_be_written(world, change):
    """The guard checks every row a flush writes, not only new ones: a row of B that sits in
    the session (loaded in system scope, as the CLI or the test world does) cannot be edited,
    deleted, or moved into A (structure_id rewritten) while A is the active structure."""
    before = _b_team_as_built(world)
    team_b = world.b.team
    assert team_b in db.session and team_b.structure_id == world.b.structure.id
    tenancy.activate(db.session, world.a.structure.id)
    if change == "edit":
        team_b.name = "Renommée depuis Alpha"
    elif change == "delete":
        db.session.delete(team_b)
    else:
        team_b.structure_id = world.a.structure.id
    with pytest.raises(tenancy.TenantNotSetError, match="autre structure"):
        db.session.flush()
    db.session.rollback()
    assert _b_team_as_built(world) == before == (world.b.team.name, world.b.structure.id)


def test_a_row_of_the_active_structure_cannot_be_moved_to_another(world):
    tenancy.activate(db.session, world.a.structure.id)
    world.a.team.structure_id = world.b.structure.id
    with pytest.raises(tenancy.TenantNotSetError, match="autre structure"):
        db.session.flush()
    db.session.rollback()


def test_edits_of_the_active_structures_rows_pass_the_guard(world):
    """Control: the same edit of A's own row, A active, is written."""
    tenancy.activate(db.session, world.a.structure.id)
    world.a.team.name = "Équipe Nord renommée"
    db.session.flush()
    db.session.expire_all()
    assert db.session.get(Team, world.a.team.id).name == "Équipe Nord renommée"


def test_new_rows_take_the_active_structure(world):
    tenancy.activate(db.session, world.a.structure.id)
    team = Team(name="Équipe Est")
    db.session.add(team)
    db.session.flush()
    assert team.structure_id == world.a.structure.id


def test_bulk_update_outside_system_scope_is_refused(world):
    tenancy.activate(db.session, world.a.structure.id)
    with pytest.raises(
        tenancy.TenantNotSetError,
        match=r"^Modification groupée hors du périmètre système refusée\.$",
    ):
        db.session.execute(update(Team).values(location="x"))


def test_every_table_with_structure_id_is_tenant_scoped():
    scoped_tables = {
        m.class_.__table__.name for m in Base.registry.mappers if issubclass(m.class_, TenantScoped)
    }
    tables_with_column = {t.name for t in Base.metadata.sorted_tables if "structure_id" in t.c}
    assert tables_with_column == scoped_tables
    for name in tables_with_column:
        table = Base.metadata.tables[name]
        assert any(idx.columns.keys()[0] == "structure_id" for idx in table.indexes), (
            f"{name}.structure_id sans index"
        )


def test_foreign_keys_are_indexed():
    for table in Base.metadata.sorted_tables:
        indexed = {idx.columns.keys()[0] for idx in table.indexes}
        indexed |= {c.name for c in table.primary_key.columns}
        for uc in table.constraints:
            cols = getattr(uc, "columns", None)
            if cols is not None and uc.__class__.__name__ == "UniqueConstraint":
                indexed.add(list(cols.keys())[0])
        for fk in table.foreign_keys:
            assert fk.parent.name in indexed, f"{table.name}.{fk.parent.name} sans index"


def test_migrations_match_the_models(app, _transaction):
    """The migrated schema has every table and column the models declare."""
    insp = inspect(_transaction)
    for table in Base.metadata.sorted_tables:
        assert insp.has_table(table.name), table.name
        columns = {c["name"] for c in insp.get_columns(table.name)}
        assert set(table.c.keys()) <= columns, table.name


postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement (RLS)")


@postgres_only
def test_every_tenant_table_has_a_row_level_security_policy(_transaction):
    conn = _transaction
    tables = {
        r[0]
        for r in conn.execute(
            text(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'structure_id'"
            )
        )
    }
    assert tables
    with_policy = {
        r[0]
        for r in conn.execute(
            text(
                "SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation' "
                "AND qual IS NOT NULL AND with_check IS NOT NULL"
            )
        )
    }
    rls_on = {r[0] for r in conn.execute(text("SELECT relname FROM pg_class WHERE relrowsecurity"))}
    assert tables <= with_policy
    assert tables <= rls_on


@postgres_only
def test_no_policy_has_an_escape_setting(_transaction):
    """Only the signed structure setting opens rows (app_current_structure() checks it);
    nothing the app's role can set opens them all."""
    quals = _transaction.execute(
        text("SELECT tablename, qual, with_check FROM pg_policies WHERE schemaname = 'public'")
    ).all()
    assert quals
    for table, using, check in quals:
        for condition in (using, check):
            assert "app_current_structure()" in condition, table
            assert "app.system" not in condition and " OR " not in condition.upper(), table


@postgres_only
def test_app_role_cannot_read_or_write_another_structure_with_raw_sql(world, app_connection):
    conn = app_connection
    me = conn.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    assert me == (False, False)
    owners = {
        r[0]
        for r in conn.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'teams'"))
    }
    assert conn.execute(text("SELECT current_user")).scalar() not in owners
    a, b = world.a.structure.id, world.b.structure.id
    set_structure(conn, a)
    seen = {r[0] for r in conn.execute(text("SELECT structure_id FROM teams"))}
    assert seen == {a}
    assert (
        conn.execute(
            text("SELECT count(*) FROM memberships WHERE structure_id = :b"), {"b": str(b)}
        ).scalar()
        == 0
    )
    updated = conn.execute(
        text("UPDATE teams SET location = 'x' WHERE structure_id = :b"), {"b": str(b)}
    )
    assert updated.rowcount == 0
    with pytest.raises(Exception, match="row-level security"), conn.begin_nested():
        conn.execute(
            text(
                "INSERT INTO teams (id, structure_id, name, is_archived, created_at, updated_at) "
                "VALUES (gen_random_uuid(), :b, 'Intruse', false, now(), now())"
            ),
            {"b": str(b)},
        )
    conn.execute(text("SELECT set_config('app.structure_id', '', true)"))
    assert conn.execute(text("SELECT count(*) FROM teams")).scalar() == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="the database settings exist on PostgreSQL only")
def test_each_transaction_begins_with_the_active_structure_sent(app, world, _transaction):
    """Registered for « after_begin »: a transaction that begins while a structure is active
    (after a request's commit, a job's second transaction) gets that structure's signed
    setting, which row-level security reads; nothing active sends nothing."""
    assert event.contains(Session, "after_begin", tenancy._set_database_setting)
    conn = _transaction
    a = world.a.structure.id
    setting = (
        "SELECT current_setting('app.structure_id', true), "
        "current_setting('app.structure_token', true)"
    )
    with app.app_context():  # the app's key signs, as in a request
        tenancy.activate(db.session, a)
        conn.execute(text("SELECT set_config('app.structure_id', '', true)"))
        tenancy._set_database_setting(db.session, None, conn)
        signed = (str(a), tenancy.token_for(str(a), APP_KEY))
        assert conn.execute(text(setting)).one() == signed and signed[1]
        tenancy.deactivate(db.session)
        tenancy._set_database_setting(db.session, None, conn)
        assert conn.execute(text(setting)).one() == ("", "")


@pytest.mark.skipif(not ON_POSTGRES, reason="the database settings exist on PostgreSQL only")
def test_activating_a_structure_within_a_transaction_sends_it_at_once(app, world, app_connection):
    """A request finds its structure after its transaction began (the slug's lookup): the
    activation itself sends the setting, and row-level security shows that structure's rows;
    deactivating sends it empty, and nothing shows."""
    a = world.a.structure.id
    with app.app_context():  # the app's key signs, as in a request
        db.session.execute(text("SELECT 1"))  # a transaction under way, nothing active
        tenancy.activate(db.session, a)
        seen = {r[0] for r in db.session.execute(text("SELECT structure_id FROM teams"))}
        assert seen == {a}
        tenancy.deactivate(db.session)
        assert db.session.execute(text("SELECT count(*) FROM teams")).scalar() == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="extended statistics exist on PostgreSQL only")
def test_the_planner_knows_which_keys_imply_the_structure(_transaction):
    """With many structures on one database, the planner must know that a team, a salarié or a
    framework implies its structure, or it underestimates the rows of every tenant query."""
    from importlib import import_module

    migration = import_module("migrations.versions.d7c0ffee0030_planner_statistics")
    found = {
        (name, table, key)
        for name, table, key in _transaction.execute(
            text(
                "SELECT s.stxname, c.relname, a.attname FROM pg_statistic_ext s "
                "JOIN pg_class c ON c.oid = s.stxrelid "
                "JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY(s.stxkeys) "
                "WHERE a.attname <> 'structure_id' AND 'f' = ANY(s.stxkind)"
            )
        )
    }
    assert set(migration.STATISTICS) <= found
