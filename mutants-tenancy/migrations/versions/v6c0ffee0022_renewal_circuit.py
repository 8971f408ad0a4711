"""renewal circuit of a CDDI

Revision ID: v6c0ffee0022
Revises: u6c0ffee0021

« Renouvellement » (``renewal_decisions``): for one contract, the ETI's opinion, the CIP's
proposal and the direction's decision, each dated with its author, and the avenant or the
planned sortie that followed; ``structures.renewal_notice_months``: how long before a
contract's end the circuit opens (2 months unless the structure says otherwise).
Create Date: 2026-12-06 02:02:46

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


# revision identifiers, used by Alembic.
revision = 'v6c0ffee0022'
down_revision = 'u6c0ffee0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('renewal_decisions',
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('opinion', 'proposal', 'decision', 'renewed', 'not_renewed', name='renewalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('opinion_work', sa.Text(), nullable=False),
    sa.Column('opinion_attendance', sa.Text(), nullable=False),
    sa.Column('opinion_progress', sa.Text(), nullable=False),
    sa.Column('opinion_verdict', sa.String(length=20), nullable=False),
    sa.Column('opinion_on', sa.Date(), nullable=False),
    sa.Column('opinion_by_id', sa.Uuid(), nullable=True),
    sa.Column('proposal', sa.String(length=10), nullable=True),
    sa.Column('proposed_months', sa.Integer(), nullable=True),
    sa.Column('proposed_hours', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('derogation_motif', sa.String(length=30), nullable=True),
    sa.Column('pass_extension', sa.Boolean(), nullable=False),
    sa.Column('proposal_comment', sa.Text(), nullable=True),
    sa.Column('proposal_on', sa.Date(), nullable=True),
    sa.Column('proposal_by_id', sa.Uuid(), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('avenant_id', sa.Uuid(), nullable=True),
    sa.Column('exit_planned_on', sa.Date(), nullable=True),
    sa.Column('exit_review_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['avenant_id'], ['contracts.id'], name=op.f('fk_renewal_decisions_avenant_id_contracts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_renewal_decisions_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['memberships.id'], name=op.f('fk_renewal_decisions_decided_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_renewal_decisions_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exit_review_id'], ['reviews.id'], name=op.f('fk_renewal_decisions_exit_review_id_reviews'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opinion_by_id'], ['memberships.id'], name=op.f('fk_renewal_decisions_opinion_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_by_id'], ['memberships.id'], name=op.f('fk_renewal_decisions_proposal_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_renewal_decisions_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal_decisions')),
    sa.UniqueConstraint('employee_id', 'contract_id', name='uq_renewal_decisions_pair')
    )
    with op.batch_alter_table('renewal_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_decisions_avenant_id'), ['avenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_exit_review_id'), ['exit_review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_opinion_by_id'), ['opinion_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_proposal_by_id'), ['proposal_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_decisions_structure_id'), ['structure_id'], unique=False)

    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_notice_months', sa.Integer(), server_default='2', nullable=False))

    enable_tenant_rls('renewal_decisions')
    add_tenant_foreign_keys()


def downgrade():
    disable_tenant_rls('renewal_decisions')
    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.drop_column('renewal_notice_months')

    with op.batch_alter_table('renewal_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_structure_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_proposal_by_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_opinion_by_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_exit_review_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_employee_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_contract_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_decisions_avenant_id'))

    op.drop_table('renewal_decisions')
