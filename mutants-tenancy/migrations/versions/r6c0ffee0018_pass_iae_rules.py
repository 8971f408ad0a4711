"""PASS IAE rules

Revision ID: r6c0ffee0018
Revises: q6c0ffee0017

The PASS IAE's waiting-period waiver (``waiting_period_waived``), its closure by the structure
(``closed_on``, ``closure_reason``) and the training end date of a prolongation to finish a
training (``pass_extensions.training_end``). Old suspension motif codes are kept as they are:
the application still labels them.
Create Date: 2026-12-05 23:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'r6c0ffee0018'
down_revision = 'q6c0ffee0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pass_iae', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'waiting_period_waived', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closure_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('pass_extensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('training_end', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('pass_extensions', schema=None) as batch_op:
        batch_op.drop_column('training_end')
    with op.batch_alter_table('pass_iae', schema=None) as batch_op:
        batch_op.drop_column('closure_reason')
        batch_op.drop_column('closed_on')
        batch_op.drop_column('waiting_period_waived')
