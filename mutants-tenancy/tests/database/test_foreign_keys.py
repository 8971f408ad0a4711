"""A tenant row may only point to a row of its own structure (composite foreign keys).

Checked as the owner, who is not subject to row-level security: the constraint itself must
refuse, whatever role writes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.site import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement")

# (table, column, referenced table): the ones the security review named, at least.
EXPECTED = {
    ("teams", "activity_id", "activities"),
    ("team_supervisors", "team_id", "teams"),
    ("team_supervisors", "membership_id", "memberships"),
    ("framework_blocks", "framework_id", "frameworks"),
    ("framework_competencies", "framework_id", "frameworks"),
    ("framework_competencies", "block_id", "framework_blocks"),
    ("framework_criteria", "framework_id", "frameworks"),
    ("framework_criteria", "competency_id", "framework_competencies"),
    ("framework_imports", "membership_id", "memberships"),
    ("framework_imports", "framework_id", "frameworks"),
    ("scale_levels", "scale_id", "scales"),
    ("activity_frameworks", "activity_id", "activities"),
    ("activity_frameworks", "framework_id", "frameworks"),
}

_SINGLE_TENANT_FKS = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1 AND a.attname <> 'structure_id'
  AND c.connamespace = 'public'::regnamespace
  AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.conrelid
              AND s.attname = 'structure_id' AND NOT s.attisdropped)
  AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.confrelid
              AND s.attname = 'structure_id' AND NOT s.attisdropped)
"""

_COMPOSITE_FKS = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
FROM pg_constraint c
JOIN pg_attribute s ON s.attrelid = c.conrelid AND s.attnum = c.conkey[1]
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[2]
JOIN pg_attribute ts ON ts.attrelid = c.confrelid AND ts.attnum = c.confkey[1]
JOIN pg_attribute ti ON ti.attrelid = c.confrelid AND ti.attnum = c.confkey[2]
WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 2 AND s.attname = 'structure_id'
  AND ts.attname = 'structure_id' AND ti.attname = 'id'
"""


def test_every_reference_between_tenant_tables_stays_in_the_structure(_transaction):
    single = set(_transaction.execute(text(_SINGLE_TENANT_FKS)).all())
    composite = {tuple(r) for r in _transaction.execute(text(_COMPOSITE_FKS)).all()}
    assert {tuple(r) for r in single} >= EXPECTED
    missing = {tuple(r) for r in single} - composite
    assert not missing, f"sans clé (structure_id, colonne) : {sorted(missing)}"


def _refused(conn, sql: str, **params) -> None:
    with pytest.raises(IntegrityError, match="_tenant"), conn.begin_nested():
        conn.execute(text(sql), params)


def test_a_team_cannot_point_to_another_structures_activity(world, _transaction):
    _refused(
        _transaction,
        "UPDATE teams SET activity_id = :act WHERE id = :team",
        act=world.b.activity.id,
        team=world.a.team.id,
    )


def test_a_supervision_cannot_mix_structures(world, _transaction):
    row = "SELECT id FROM team_supervisors WHERE team_id = :team"
    sup = _transaction.execute(text(row), {"team": world.a.team.id}).scalar()
    _refused(
        _transaction,
        "UPDATE team_supervisors SET team_id = :t WHERE id = :s",
        t=world.b.team.id,
        s=sup,
    )
    _refused(
        _transaction,
        "UPDATE team_supervisors SET membership_id = :m WHERE id = :s",
        m=world.b.member("eti").id,
        s=sup,
    )


def test_framework_and_scale_children_cannot_cross(world, _transaction):
    conn = _transaction
    a, b = world.a, world.b
    _refused(
        conn,
        "UPDATE scale_levels SET scale_id = :s WHERE structure_id = :a",
        s=b.scale.id,
        a=a.structure.id,
    )
    for table in ("framework_blocks", "framework_competencies", "framework_criteria"):
        _refused(
            conn,
            f"UPDATE {table} SET framework_id = :f WHERE structure_id = :a",  # noqa: S608
            f=b.framework.id,
            a=a.structure.id,
        )
    _refused(
        conn,
        "INSERT INTO activity_frameworks (id, structure_id, activity_id, framework_id) "
        "VALUES (gen_random_uuid(), :a, :act, :f)",
        a=a.structure.id,
        act=a.activity.id,
        f=b.framework.id,
    )


def test_deleting_an_activity_unlinks_its_teams_and_keeps_their_structure(world, _transaction):
    conn = _transaction
    conn.execute(text("DELETE FROM activities WHERE id = :a"), {"a": world.a.activity.id})
    structure_id, activity_id = conn.execute(
        text("SELECT structure_id, activity_id FROM teams WHERE id = :t"), {"t": world.a.team.id}
    ).one()
    assert (structure_id, activity_id) == (world.a.structure.id, None)
