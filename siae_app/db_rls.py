"""Row-level security for tenant tables, used by the Alembic migrations (PostgreSQL only)."""

from __future__ import annotations

from alembic import op

TENANT_CONDITION = (
    "structure_id = NULLIF(current_setting('app.structure_id', true), '')::uuid "
    "OR current_setting('app.system', true) = 'on'"
)


def enable_tenant_rls(table: str) -> None:
    """USING and WITH CHECK on structure_id; the app's role does not own the table."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({TENANT_CONDITION}) WITH CHECK ({TENANT_CONDITION})"
    )


def disable_tenant_rls(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
