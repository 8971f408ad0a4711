"""access log: every view of a salarié's file, and whether sensitive content was shown

Revision ID: k6c0ffee0011
Revises: i6c0ffee0009

Since this revision every page, fragment and download showing one salarié writes a row whose
part is the page's endpoint ("reviews.pdf", longer than the 30 characters of the first parts
« fiche », « sensible »…), with ``sensitive`` telling whether sensitive content was in what was
shown. Earlier rows keep their part; the ones that said it in their part (« fiche_sensible »,
« sensible ») are marked sensitive.
Create Date: 2026-12-04 21:00:00

"""
import sqlalchemy as sa
from alembic import op

from siae_app.tenancy.rls import add_tenant_foreign_keys


# revision identifiers, used by Alembic.
revision = 'k6c0ffee0011'
down_revision = 'i6c0ffee0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('access_logs') as batch:
        batch.alter_column('part', existing_type=sa.String(30), type_=sa.String(80))
        batch.add_column(
            sa.Column('sensitive', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE access_logs SET sensitive = true WHERE part IN ('fiche_sensible', 'sensible')"
    )
    add_tenant_foreign_keys()  # idempotent: nothing new here, kept as every migration ends


def downgrade():
    op.execute("UPDATE access_logs SET part = substr(part, 1, 30)")
    with op.batch_alter_table('access_logs') as batch:
        batch.drop_column('sensitive')
        batch.alter_column('part', existing_type=sa.String(80), type_=sa.String(30))
