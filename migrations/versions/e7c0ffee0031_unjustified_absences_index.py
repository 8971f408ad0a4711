"""unjustified absences index: the alerts find the salariés with a streak of them

The alerts count each salarié's unjustified absences in a row (three raise an alert). Few
marks are unjustified absences, but without an index PostgreSQL read every mark of the
structure to find them: about 50 ms at 3,000 salariés and 60 days of marks. A partial index
on those marks alone (employee, day) finds them directly.

Revision ID: e7c0ffee0031
Revises: d7c0ffee0030
Create Date: 2026-12-06 18:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7c0ffee0031'
down_revision = 'd7c0ffee0030'
branch_labels = None
depends_on = None

UNJUSTIFIED = "status = 'absent' AND motif = 'injustifiee'"


def upgrade():
    op.create_index(
        'ix_attendances_unjustified',
        'attendances',
        ['employee_id', 'day'],
        unique=False,
        postgresql_where=sa.text(UNJUSTIFIED),
        sqlite_where=sa.text(UNJUSTIFIED),
    )


def downgrade():
    op.drop_index('ix_attendances_unjustified', table_name='attendances')
