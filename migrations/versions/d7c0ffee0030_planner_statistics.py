"""planner statistics: structure_id goes with the key each tenant query filters on

Every query of a structure filters on ``structure_id`` (the ORM and row-level security) on top
of its own key (a team, a salarié, a framework). PostgreSQL takes the two conditions as
independent, so with many structures on one database it divides its row estimate by their
number and picks nested loops where hash joins would do: with 100 structures the ETI's pages
ran 26 % slower than with one (bench/structures.py). Dependency statistics tell it that the
key implies the structure. PostgreSQL only (SQLite has no such statistics).

Revision ID: d7c0ffee0030
Revises: c7c0ffee0029
Create Date: 2026-12-06 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7c0ffee0030'
down_revision = 'c7c0ffee0029'
branch_labels = None
depends_on = None

# (statistics name, table, the key column that implies structure_id)
STATISTICS = (
    ("st_observations_structure_team", "observations", "team_id"),
    ("st_attendances_structure_employee", "attendances", "employee_id"),
    ("st_framework_competencies_structure_framework", "framework_competencies", "framework_id"),
    ("st_pass_iae_structure_employee", "pass_iae", "employee_id"),
    ("st_contracts_structure_employee", "contracts", "employee_id"),
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, key in STATISTICS:
        op.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) "
            f"ON structure_id, {key} FROM {table}"
        )
        op.execute(f"ANALYZE {table}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _key in STATISTICS:
        op.execute(f"DROP STATISTICS IF EXISTS {name}")
