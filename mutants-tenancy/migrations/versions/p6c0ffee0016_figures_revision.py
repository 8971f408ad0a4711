"""figures revision

Revision ID: p6c0ffee0016
Revises: o6c0ffee0015

A counter per structure, bumped by each commit that changes what the dashboard's figures
read, so that their cache is keyed on it and never serves figures older than the data.
Create Date: 2026-12-05 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'p6c0ffee0016'
down_revision = 'o6c0ffee0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('structures') as batch_op:
        batch_op.add_column(
            sa.Column('figures_revision', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('structures') as batch_op:
        batch_op.drop_column('figures_revision')
