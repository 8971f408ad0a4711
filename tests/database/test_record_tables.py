"""Records of what happened (access log, change history, membership events, reopenings) are
append-only for the web process: the ORM refuses to change or delete them (SQLite and
PostgreSQL), and on PostgreSQL the application's role holds SELECT and INSERT on them only.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import (
    AccessLog,
    Assessment,
    AssessmentReopening,
    ChangeRecord,
    MembershipEvent,
    PurgeRecord,
    ReviewReopening,
)
from siae_app.records import RecordChangeError, record_tables
from tests import factories as f
from tests.querycount import count_queries
from tests.site import APP_DB_ROLE, ON_POSTGRES, app_role, set_structure

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement (droits)")

RECORD_TABLES = [
    "access_logs",
    "assessment_reopenings",
    "change_records",
    "membership_events",
    "purge_records",
    "review_reopenings",
]


def test_the_record_tables_are_the_ones_declared_append_only():
    """One declaration (the AppendOnly mixin) feeds dbrole setup and the ORM guard."""
    assert record_tables() == RECORD_TABLES


@pytest.fixture
def records(world) -> dict:
    """One row of each record table in structure A, written as the services write them."""
    site = world.a
    sid, cip = site.structure.id, site.member("cip")
    rows = {
        "access_logs": AccessLog(
            structure_id=sid, membership_id=cip.id, employee_id=site.employee.id, part="fiche"
        ),
        "change_records": ChangeRecord(
            structure_id=sid,
            membership_id=cip.id,
            entity="employee",
            entity_id=site.employee.id,
            employee_id=site.employee.id,
            field="phone",
            old_value="06 00 00 00 00",
            new_value="06 11 11 11 11",
        ),
        "membership_events": MembershipEvent(
            structure_id=sid, membership_id=site.member("target").id, kind="roles"
        ),
        "assessment_reopenings": AssessmentReopening(
            structure_id=sid,
            assessment_id=site.evaluations["assessment"].id,
            by_id=cip.id,
            motif="Erreur de saisie",
        ),
        "review_reopenings": ReviewReopening(
            structure_id=sid, review_id=site.review.id, by_id=cip.id, motif="Date corrigée"
        ),
        "purge_records": PurgeRecord(
            structure_id=sid,
            rule="accompaniment",
            months=24,
            cutoff=site.employee.created_at.date(),
            counts={"observations": 3},
            command="flask rgpd purge",
        ),
    }
    assert sorted(rows) == record_tables(), "give this fixture a row of each record table"
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


def _in_structure_a(world, obj):
    """The row as the web process holds it: loaded with structure A active."""
    cls, row_id = type(obj), obj.id
    tenancy.activate(db.session, world.a.structure.id)
    db.session.expire_all()
    return db.session.get(cls, row_id)


# ---- the ORM guard (every database)


# A text column of each record table, to change.
TEXT_COLUMN = {
    "access_logs": "part",
    "assessment_reopenings": "motif",
    "change_records": "new_value",
    "membership_events": "kind",
    "purge_records": "command",
    "review_reopenings": "motif",
}


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_the_web_process_cannot_change_a_record(world, records, table):
    row = _in_structure_a(world, records[table])
    setattr(row, TEXT_COLUMN[table], "effacé")
    with pytest.raises(RecordChangeError, match=f"Modification refusée : « {table} »"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_the_web_process_cannot_delete_a_record(world, records, table):
    row = _in_structure_a(world, records[table])
    db.session.delete(row)
    with pytest.raises(RecordChangeError, match=f"Suppression refusée : « {table} »"):
        db.session.flush()
    db.session.rollback()


def test_setting_a_record_field_to_its_own_value_is_no_change(world, records):
    row = _in_structure_a(world, records["change_records"])
    row.new_value = row.new_value
    with count_queries() as sent:
        db.session.flush()  # nothing refused
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in sent.statements)


def test_the_system_scope_of_the_owners_commands_may(world, records):
    """Purges and test set-up work in the system scope (on PostgreSQL, as the owner)."""
    tenancy.activate_system(db.session)
    log = db.session.get(AccessLog, records["access_logs"].id)
    log.part = "export"
    db.session.flush()
    db.session.delete(log)
    db.session.flush()
    assert db.session.get(AccessLog, records["access_logs"].id) is None


def test_deleting_a_reopened_assessment_leaves_its_reopenings_to_the_database(
    app, world, records, _transaction
):
    """The ORM does not delete the reopenings itself (the app's role may not): the database's
    ON DELETE CASCADE does, as the owner of the tables."""
    assessment_id = world.a.evaluations["assessment"].id
    reopening_id = records["assessment_reopenings"].id
    with app.app_context(), app_role(_transaction):  # the app's key signs the structure
        assessment = _in_structure_a(world, world.a.evaluations["assessment"])
        assert [r.id for r in assessment.reopenings] == [reopening_id]
        db.session.delete(assessment)
        db.session.flush()
    tenancy.activate_system(db.session)
    db.session.expire_all()
    assert db.session.get(Assessment, assessment_id) is None
    found = db.session.scalar(
        select(AssessmentReopening.id).where(AssessmentReopening.id == reopening_id)
    )
    assert found is None


# ---- PostgreSQL: the application's role


def _privileges(conn, table: str) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = :r AND table_schema = 'public' AND table_name = :t"
        ),
        {"r": APP_DB_ROLE, "t": table},
    )
    return {r[0] for r in rows}


@postgres_only
def test_the_app_role_holds_exactly_select_and_insert_on_every_record_table(_transaction):
    for table in record_tables():
        assert _privileges(_transaction, table) == {"SELECT", "INSERT"}, table
    # The other tables of the file are still written as usual: the check above tells apart.
    assert {"UPDATE", "DELETE"} <= _privileges(_transaction, "employees")


@postgres_only
def test_a_new_table_is_not_opened_to_updates_by_default(_transaction):
    """The owner's default privileges in the public schema: a table a later migration
    creates (perhaps a record) is read and added to only, until dbrole setup runs again."""
    rows = _transaction.execute(
        text(
            "SELECT a.privilege_type FROM pg_default_acl d, aclexplode(d.defaclacl) a "
            "WHERE d.defaclnamespace = 'public'::regnamespace AND d.defaclobjtype = 'r' "
            "AND a.grantee = CAST(:r AS regrole)"
        ),
        {"r": APP_DB_ROLE},
    )
    assert {r[0] for r in rows} == {"SELECT", "INSERT"}


def _count(conn, table: str, row_id: uuid.UUID) -> int:
    found = conn.execute(text(f"SELECT count(*) FROM {table} WHERE id = :id"), {"id": row_id})  # noqa: S608
    return found.scalar()


def _copy_of(conn, table: str, row_id) -> None:
    """INSERT a copy of one row under a new id, as the role connected."""
    conn.execute(
        text(
            f"INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, "  # noqa: S608
            f"(SELECT to_jsonb(r) || jsonb_build_object('id', gen_random_uuid()) "
            f"FROM {table} r WHERE r.id = :id))"
        ),
        {"id": row_id},
    )


@postgres_only
@pytest.mark.parametrize("table", RECORD_TABLES)
def test_the_app_role_may_add_and_read_records_but_not_change_them(
    world, records, table, _transaction
):
    """What an SQL injection in the web process could send: no UPDATE, DELETE or TRUNCATE."""
    row_id = records[table].id
    with app_role(_transaction) as conn:
        set_structure(conn, world.a.structure.id)
        _copy_of(conn, table, row_id)
        assert _count(conn, table, row_id) == 1
        for statement in (
            f"UPDATE {table} SET structure_id = structure_id WHERE id = :id",  # noqa: S608
            f"DELETE FROM {table} WHERE id = :id",  # noqa: S608
            f"TRUNCATE {table}",
        ):
            with pytest.raises(Exception, match="permission denied"), conn.begin_nested():
                conn.execute(text(statement), {"id": row_id})
        # Row-level security still applies to what it reads: nothing of structure B.
        set_structure(conn, world.b.structure.id)
        assert _count(conn, table, row_id) == 0


@postgres_only
def test_deleting_a_salarie_or_a_member_takes_their_records_along_as_the_owner(world, _transaction):
    """ON DELETE actions on the record tables run as the owner of the tables: the app's role
    may delete a salarié (or a membership) that has records, though it may not touch them."""
    site = world.a
    sid = site.structure.id
    employee = f.make_employee(sid, site.team, site.member("cip"), last_name="Départ")
    member = f.MembershipFactory(structure=site.structure, roles=["eti"])
    log = f.AccessLogFactory(structure_id=sid, membership_id=member.id, employee_id=employee.id)
    change = ChangeRecord(
        structure_id=sid,
        membership_id=member.id,
        entity="employee",
        entity_id=employee.id,
        employee_id=employee.id,
        field="phone",
    )
    event = MembershipEvent(structure_id=sid, membership_id=member.id, kind="invited")
    db.session.add_all([change, event])
    db.session.commit()
    with app_role(_transaction) as conn:
        set_structure(conn, sid)
        conn.execute(text("DELETE FROM employees WHERE id = :e"), {"e": employee.id})
        conn.execute(text("DELETE FROM memberships WHERE id = :m"), {"m": member.id})
    conn = _transaction  # the owner again
    assert _count(conn, "change_records", change.id) == 0  # CASCADE with the salarié
    assert _count(conn, "membership_events", event.id) == 0  # CASCADE with the membership
    emptied = conn.execute(
        text("SELECT employee_id, membership_id FROM access_logs WHERE id = :id"), {"id": log.id}
    ).one()
    assert tuple(emptied) == (None, None)  # SET NULL: the consultation stays, anonymous


@postgres_only
def test_the_purge_refuses_the_app_role_instead_of_purging_nothing(app, world, _transaction):
    with app_role(_transaction):
        result = app.test_cli_runner().invoke(args=["rgpd", "purge-access-log"])
    assert result.exit_code == 1
    assert "lancez-la avec l'URL du propriétaire" in result.output
