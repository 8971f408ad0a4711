"""signed tenant setting

Revision ID: i6c0ffee0009
Revises: h6c0ffee0008

The policies stop trusting ``app.structure_id`` as sent: they read the structure through
``app_current_structure()``, which returns it only with its signature
(``app.structure_token``) by the key ``flask dbrole setup`` stores in ``app_private``, a
schema the application's role cannot use. Until ``dbrole setup`` has run again, the
application's role sees no row (fail closed); the owner is not subject to the policies.
Create Date: 2026-12-01 04:00:00

"""
from alembic import op

from siae_app.tenancy.rls import (
    TENANT_CONDITION,
    add_tenant_foreign_keys,
    create_signed_setting,
    drop_signed_setting,
    enable_tenant_rls,
    tenant_tables,
)


# revision identifiers, used by Alembic.
revision = 'i6c0ffee0009'
down_revision = 'h6c0ffee0008'
branch_labels = None
depends_on = None


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _on_postgres():
        create_signed_setting()
        for table in tenant_tables():
            enable_tenant_rls(table)  # now with the signed condition
    add_tenant_foreign_keys()  # idempotent: nothing new here, kept as every migration ends


def downgrade():
    if _on_postgres():
        for table in tenant_tables():
            enable_tenant_rls(table, TENANT_CONDITION)
        drop_signed_setting()
