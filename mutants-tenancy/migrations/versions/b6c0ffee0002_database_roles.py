"""database roles: no RLS escape setting, same-structure foreign keys, memberships lookup

Revision ID: b6c0ffee0002
Revises: 0e613cd46977 (to be re-chained on a6c0ffee0001)
Create Date: 2026-11-30 18:50:00

PostgreSQL only (SQLite has neither roles nor row-level security):

1. Every tenant table's policy becomes ``structure_id = app.structure_id`` only. The former
   ``OR current_setting('app.system') = 'on'`` let the application's own role switch the
   isolation off (one ``set_config`` away for an SQL injection). Cross-structure work now
   uses the owner's connection: the owner of the tables is not subject to their policies.
2. Every foreign key from a tenant row to another tenant row gets a composite twin on
   ``(structure_id, column)`` referencing a new UNIQUE ``(structure_id, id)``: a team can
   no longer point at another structure's activity, even when written in raw SQL.
3. ``app_memberships_of(user_id)``: SECURITY DEFINER function (owned by the owner) giving a
   person's own memberships across structures, for sign-in and the structure chooser.

Tables without row-level security, on purpose:
- ``structures``: slug, name, kind and city of each SIAE, public information and no personal
  data; the web process looks a structure up by the slug of the URL before any tenant is
  active, then grants access only through the person's membership there.
- ``users``: one account per person across structures, so sign-in finds it
  by e-mail before any structure is known. It holds the staff's name, e-mail and an argon2
  hash; the application only ever loads the signed-in person or a person by exact e-mail,
  and a user's memberships (roles, structures) are only reachable through RLS or the
  function above.
"""

from alembic import op

from siae_app.tenancy.rls import (
    add_tenant_foreign_keys,
    create_memberships_function,
    drop_memberships_function,
    drop_tenant_foreign_keys,
    tenant_tables,
)

# revision identifiers, used by Alembic.
revision = "b6c0ffee0002"
down_revision = "a6c0ffee0001"
branch_labels = None
depends_on = None

# Frozen here: what the policies say from this revision on, and before it (downgrade).
_CONDITION = "structure_id = NULLIF(current_setting('app.structure_id', true), '')::uuid"
_OLD_CONDITION = (
    "structure_id = NULLIF(current_setting('app.structure_id', true), '')::uuid "
    "OR current_setting('app.system', true) = 'on'"
)


def _set_policies(condition: str) -> None:
    for table in tenant_tables():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({condition}) WITH CHECK ({condition})"
        )


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _set_policies(_CONDITION)
    add_tenant_foreign_keys()
    create_memberships_function()


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    drop_memberships_function()
    drop_tenant_foreign_keys()
    _set_policies(_OLD_CONDITION)
