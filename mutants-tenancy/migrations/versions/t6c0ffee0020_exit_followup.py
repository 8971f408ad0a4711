"""situation six months after a sortie

Revision ID: t6c0ffee0020
Revises: s6c0ffee0019

« Situation à 6 mois » (``exit_followups``): where a salarié stood six months after one of
their sorties (the current stay's or an earlier one's, by its exit date), in the sorties'
classification or « Injoignable », with the date of the check and who recorded it.
Create Date: 2026-12-06 00:20:00

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


revision = 't6c0ffee0020'
down_revision = 's6c0ffee0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exit_followups',
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_exit_followups_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['memberships.id'], name=op.f('fk_exit_followups_recorded_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_exit_followups_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_followups')),
    sa.UniqueConstraint('employee_id', 'exit_date', name='uq_exit_followups_pair')
    )
    with op.batch_alter_table('exit_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_followups_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_followups_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_followups_structure_id'), ['structure_id'], unique=False)

    enable_tenant_rls('exit_followups')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('exit_followups')
    with op.batch_alter_table('exit_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exit_followups_structure_id'))
        batch_op.drop_index(batch_op.f('ix_exit_followups_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_exit_followups_employee_id'))
    op.drop_table('exit_followups')
