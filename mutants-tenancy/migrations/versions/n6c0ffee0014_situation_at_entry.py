"""situation at entry

Revision ID: n6c0ffee0014
Revises: m6c0ffee0013

The salarié's situation at entry, as the State's record of a salarié and the annual report
count it: sex, level of education and prescriber kind (the ASP's codes), since when without a
job, registered at France Travail and receiving minima sociaux, residence in a QPV or a ZRR.
Create Date: 2026-12-05 00:29:15.103585

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'n6c0ffee0014'
down_revision = 'm6c0ffee0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sex', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('education_level', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('prescriber_kind', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('unemployed_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('jobseeker_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('benefits_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('resides_qpv', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('resides_zrr', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('resides_zrr')
        batch_op.drop_column('resides_qpv')
        batch_op.drop_column('benefits_since')
        batch_op.drop_column('jobseeker_since')
        batch_op.drop_column('unemployed_since')
        batch_op.drop_column('prescriber_kind')
        batch_op.drop_column('education_level')
        batch_op.drop_column('sex')

