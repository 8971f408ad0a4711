"""the salariés' files revision: a second counter, which attendance marks do not move

Every commit changing a structure's data moves ``figures_revision`` (what the dashboard and the
month grid count read attendance). A mark is the chantier's most frequent write; the alerts'
lines and the « fin dans N semaines » list read no mark (the absences rule is read apart, at each
request), so they are kept under ``files_revision``, which moves with every other change.

Revision ID: g7c0ffee0033
Revises: f7c0ffee0032
Create Date: 2026-12-06 21:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "g7c0ffee0033"
down_revision = "f7c0ffee0032"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("structures") as batch_op:
        batch_op.add_column(
            sa.Column("files_revision", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("structures") as batch_op:
        batch_op.drop_column("files_revision")
