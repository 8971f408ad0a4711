"""immersions (PMSMP conventions)

Revision ID: u6c0ffee0021
Revises: t6c0ffee0020

« Immersions (PMSMP) » (``immersions``): a salarié's convention with a host of the directory
(object, objectives, start and end, days of immersion), the convention it renews if any, and
its outcome (objectives reached, what the host observed, an offer of work).
Create Date: 2026-12-06 00:45:00

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


revision = 'u6c0ffee0021'
down_revision = 't6c0ffee0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('immersions',
    sa.Column('partner_id', sa.Uuid(), nullable=False),
    sa.Column('object_kind', sa.String(length=20), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('renewal_of_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('objectives_reached', sa.String(length=20), nullable=True),
    sa.Column('host_observations', sa.Text(), nullable=True),
    sa.Column('job_offer', sa.Boolean(), nullable=True),
    sa.Column('job_offer_details', sa.Text(), nullable=True),
    sa.Column('outcome_by_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_immersions_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['memberships.id'], name=op.f('fk_immersions_outcome_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_immersions_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['memberships.id'], name=op.f('fk_immersions_recorded_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['renewal_of_id'], ['immersions.id'], name=op.f('fk_immersions_renewal_of_id_immersions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_immersions_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_immersions'))
    )
    with op.batch_alter_table('immersions', schema=None) as batch_op:
        for column in ('employee_id', 'outcome_by_id', 'partner_id', 'recorded_by_id', 'renewal_of_id', 'structure_id'):
            batch_op.create_index(batch_op.f(f'ix_immersions_{column}'), [column], unique=False)

    enable_tenant_rls('immersions')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('immersions')
    with op.batch_alter_table('immersions', schema=None) as batch_op:
        for column in ('structure_id', 'renewal_of_id', 'recorded_by_id', 'partner_id', 'outcome_by_id', 'employee_id'):
            batch_op.drop_index(batch_op.f(f'ix_immersions_{column}'))
    op.drop_table('immersions')
