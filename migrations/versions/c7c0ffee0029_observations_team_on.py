"""observations by team and day: the roster's panel counts a team's recent citations

Revision ID: c7c0ffee0029
Revises: b7c0ffee0028
Create Date: 2026-12-06 15:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7c0ffee0029'
down_revision = 'b7c0ffee0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_team_on', ['team_id', 'observed_on'], unique=False)


def downgrade():
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_team_on')
