"""funding annexes and paid hours

Revision ID: m6c0ffee0013
Revises: j6c0ffee0010

The annexes financières of a structure's convention (``funding_annexes``), the kind of annex
each contract's paid hours count against (``contracts.annex_kind``), the paid hours of a month where
they differ from the contract's default (``paid_hours``), and the two reporting settings of a
structure (hours of one ETP, minimal stay for a sortie to count).
Create Date: 2026-12-05 00:13:35.311831

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


# revision identifiers, used by Alembic.
revision = 'm6c0ffee0013'
down_revision = 'j6c0ffee0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_annexes',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('etp_conventioned', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('target_dynamic_rate', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('target_durable_rate', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_funding_annexes_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_annexes'))
    )
    with op.batch_alter_table('funding_annexes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_annexes_structure_id'), ['structure_id'], unique=False)

    op.create_table('paid_hours',
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('motif', sa.Text(), nullable=True),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['memberships.id'], name=op.f('fk_paid_hours_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_paid_hours_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_paid_hours_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_paid_hours_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paid_hours')),
    sa.UniqueConstraint('contract_id', 'month', name='uq_paid_hours_pair')
    )
    with op.batch_alter_table('paid_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paid_hours_by_id'), ['by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paid_hours_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paid_hours_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paid_hours_structure_id'), ['structure_id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annex_kind', sa.String(length=10), nullable=True))

    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours_per_etp', sa.Integer(), server_default='1820', nullable=False))
        batch_op.add_column(sa.Column('exit_min_stay_months', sa.Integer(), server_default='3', nullable=False))

    enable_tenant_rls('funding_annexes')
    enable_tenant_rls('paid_hours')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('paid_hours')
    disable_tenant_rls('funding_annexes')
    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.drop_column('exit_min_stay_months')
        batch_op.drop_column('hours_per_etp')

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('annex_kind')

    with op.batch_alter_table('paid_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paid_hours_structure_id'))
        batch_op.drop_index(batch_op.f('ix_paid_hours_employee_id'))
        batch_op.drop_index(batch_op.f('ix_paid_hours_contract_id'))
        batch_op.drop_index(batch_op.f('ix_paid_hours_by_id'))

    op.drop_table('paid_hours')
    with op.batch_alter_table('funding_annexes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_annexes_structure_id'))

    op.drop_table('funding_annexes')
