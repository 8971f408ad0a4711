"""unjustified absences index by structure: the streaks found from the index alone

The alerts look for each salarié's latest unjustified absence (the partial index of those
marks) and then whether any other mark came on or after it. Every read of attendances also
filters on the structure (tenant filter, row-level security); with ``structure_id`` in the
partial index, PostgreSQL answers the first step from the index alone instead of reading
one table page per absence: with two years of marks (300 salariés, 1,300 such absences),
the streaks of a whole structure took 5 to 7 ms, and 1.5 to 3 ms with this index.

Revision ID: i7c0ffee0035
Revises: h7c0ffee0034
Create Date: 2026-12-07 00:10:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "i7c0ffee0035"
down_revision = "h7c0ffee0034"
branch_labels = None
depends_on = None

UNJUSTIFIED = "status = 'absent' AND motif = 'injustifiee'"


def _create(columns):
    op.create_index(
        "ix_attendances_unjustified",
        "attendances",
        columns,
        unique=False,
        postgresql_where=sa.text(UNJUSTIFIED),
        sqlite_where=sa.text(UNJUSTIFIED),
    )


def upgrade():
    op.drop_index("ix_attendances_unjustified", table_name="attendances")
    _create(["structure_id", "employee_id", "day"])


def downgrade():
    op.drop_index("ix_attendances_unjustified", table_name="attendances")
    _create(["employee_id", "day"])
