"""annual reports

Revision ID: o6c0ffee0015
Revises: n6c0ffee0014

Frozen copies of a year's report (figures, PDF, XLSX), built by a background job.
Create Date: 2026-12-05 00:35:08.704783

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


# revision identifiers, used by Alembic.
revision = 'o6c0ffee0015'
down_revision = 'n6c0ffee0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_reports',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='batchstatus', native_enum=False, length=20), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('xlsx', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['memberships.id'], name=op.f('fk_annual_reports_requested_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_annual_reports_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_reports'))
    )
    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_reports_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_reports_structure_id'), ['structure_id'], unique=False)

    enable_tenant_rls('annual_reports')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('annual_reports')
    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_reports_structure_id'))
        batch_op.drop_index(batch_op.f('ix_annual_reports_requested_by_id'))

    op.drop_table('annual_reports')
