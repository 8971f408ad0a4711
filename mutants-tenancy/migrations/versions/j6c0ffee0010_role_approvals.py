"""role approvals

Revision ID: j6c0ffee0010
Revises: l6c0ffee0012

A role that reads personal data, given by an administrator who is not the direction, waits
for a second person: ``memberships.requested_roles`` (+ who asked, when); an invitation that
waits has no role and no ``invited_at`` yet (no link exists, the person is not shown it).
``admin_origin_id`` groups the administrators one administrator made (none of them approves
another's requests).
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys


# revision identifiers, used by Alembic.
revision = 'j6c0ffee0010'
down_revision = 'l6c0ffee0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_roles', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('requested_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('admin_origin_id', sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_memberships_requested_by_id'), ['requested_by_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_memberships_requested_by_id_memberships'),
            'memberships', ['requested_by_id'], ['id'], ondelete='SET NULL',
        )
    add_tenant_foreign_keys()


def downgrade():
    # Data step (frozen): an invitation that was never sent would look like one sent with no
    # role: cancel it.
    memberships = sa.table(
        'memberships',
        sa.column('is_active', sa.Boolean()),
        sa.column('invited_at', sa.DateTime(timezone=True)),
        sa.column('accepted_at', sa.DateTime(timezone=True)),
        sa.column('deactivated_at', sa.DateTime(timezone=True)),
        sa.column('requested_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        memberships.update()
        .where(
            memberships.c.is_active.is_(False),
            memberships.c.invited_at.is_(None),
            memberships.c.accepted_at.is_(None),
            memberships.c.deactivated_at.is_(None),
        )
        .values(
            deactivated_at=sa.func.coalesce(
                memberships.c.requested_at, sa.func.current_timestamp()
            )
        )
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "ALTER TABLE memberships DROP CONSTRAINT IF EXISTS "
            "fk_memberships_requested_by_id_tenant"
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_memberships_requested_by_id_memberships'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_memberships_requested_by_id'))
        batch_op.drop_column('admin_origin_id')
        batch_op.drop_column('requested_at')
        batch_op.drop_column('requested_by_id')
        batch_op.drop_column('requested_roles')
