"""previous stays

Revision ID: q6c0ffee0017
Revises: p6c0ffee0016

The earlier parcours of a salarié who left and came back (``previous_stays``): their entry
and sortie, so that a return keeps the first sortie in the figures of its year.
Create Date: 2026-12-05 04:10:00

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


revision = 'q6c0ffee0017'
down_revision = 'p6c0ffee0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('previous_stays',
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=False),
    sa.Column('exit_kind', sa.String(length=30), nullable=False),
    sa.Column('exit_reason', sa.String(length=40), nullable=True),
    sa.Column('exit_comment', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_previous_stays_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_previous_stays_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_previous_stays'))
    )
    with op.batch_alter_table('previous_stays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_previous_stays_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_previous_stays_structure_id'), ['structure_id'], unique=False)

    enable_tenant_rls('previous_stays')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('previous_stays')
    with op.batch_alter_table('previous_stays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_previous_stays_structure_id'))
        batch_op.drop_index(batch_op.f('ix_previous_stays_employee_id'))
    op.drop_table('previous_stays')
