"""exit handover

Revision ID: s6c0ffee0019
Revises: r6c0ffee0018

The documents handed to a salarié at the sortie (``exit_handover_items``): one row per
document, ticked with its date and who recorded it, or unticked.
Create Date: 2026-12-06 00:20:00

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


revision = 's6c0ffee0019'
down_revision = 'r6c0ffee0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exit_handover_items',
    sa.Column('item', sa.String(length=30), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['memberships.id'], name=op.f('fk_exit_handover_items_done_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_exit_handover_items_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_exit_handover_items_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_handover_items')),
    sa.UniqueConstraint('employee_id', 'item', name='uq_exit_handover_items_pair')
    )
    with op.batch_alter_table('exit_handover_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_handover_items_done_by_id'), ['done_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_handover_items_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_handover_items_structure_id'), ['structure_id'], unique=False)

    enable_tenant_rls('exit_handover_items')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('exit_handover_items')
    with op.batch_alter_table('exit_handover_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exit_handover_items_structure_id'))
        batch_op.drop_index(batch_op.f('ix_exit_handover_items_employee_id'))
        batch_op.drop_index(batch_op.f('ix_exit_handover_items_done_by_id'))
    op.drop_table('exit_handover_items')
