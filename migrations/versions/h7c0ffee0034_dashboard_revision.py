"""the dashboard's revision: a third counter, moved only by the tables the dashboard reads

The direction's figures read the salariés, their contracts, PASS, earlier stays, paid hours,
bilans, freins and sorties (services.funding.revision.DASHBOARD_READS); the day's actions,
entretiens, évaluations and pointages change none of them, and no longer make the figures be
computed again (0.13 s at 3,000 salariés).

Revision ID: h7c0ffee0034
Revises: g7c0ffee0033
Create Date: 2026-12-06 21:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "h7c0ffee0034"
down_revision = "g7c0ffee0033"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("structures") as batch_op:
        batch_op.add_column(
            sa.Column("dashboard_revision", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("structures") as batch_op:
        batch_op.drop_column("dashboard_revision")
