"""chantier indexes

Revision ID: h6c0ffee0008
Revises: g6c0ffee0007

A team's attendance grid looks for the salariés who worked in the team during the period
(attendances by team and day): with the team's index alone PostgreSQL combined it with the
structure's days, about 10 ms on the reference data set; with (team_id, day) well under 1 ms.
Create Date: 2026-11-30 23:00:00

"""
from alembic import op

from siae_app.tenancy.rls import add_tenant_foreign_keys


# revision identifiers, used by Alembic.
revision = 'h6c0ffee0008'
down_revision = 'g6c0ffee0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_attendances_team_day', 'attendances', ['team_id', 'day'], unique=False)
    add_tenant_foreign_keys()  # idempotent: nothing new here, kept as every migration ends


def downgrade():
    op.drop_index('ix_attendances_team_day', table_name='attendances')
