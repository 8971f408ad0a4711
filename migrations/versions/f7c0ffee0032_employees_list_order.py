"""the salariés list's order: an index on the structure and the lowercased names

The list (services.employees.listing) orders by lower(last_name), lower(first_name), id: without
an index PostgreSQL lowercases and sorts every salarié of the structure for each page (5 ms of
the 10 of the page's query at 3,000 salariés, bench/scale_pages.py); with it a page is read in
order.

Revision ID: f7c0ffee0032
Revises: e7c0ffee0031
Create Date: 2026-12-06 18:15:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f7c0ffee0032"
down_revision = "e7c0ffee0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_employees_list_order",
        "employees",
        ["structure_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"],
    )


def downgrade():
    op.drop_index("ix_employees_list_order", table_name="employees")
