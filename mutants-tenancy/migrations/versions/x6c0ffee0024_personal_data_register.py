"""the life of personal data: retention durations, purge records, erased and anonymised files

Revision ID: x6c0ffee0024
Revises: w6c0ffee0023

``retention_settings``: a duration of the register (siae_app/privacy/registry.py) that the
direction lengthened, with its motif; ``purge_records``: what each purge did (counts per table,
never whose), a record table; ``privacy_requests``: a salarié's requests about their data
(accès, rectification, limitation, opposition, effacement) and the answers; ``employees.accompaniment_erased_on`` / ``anonymised_on`` /
``age_band`` and ``attestations.expired_on``: where a file is in its life;
``structures.privacy_notice``: the information notice handed at accueil, as the direction wrote it.
Create Date: 2026-12-06 05:10:26

"""
from alembic import op
import sqlalchemy as sa

from siae_app.tenancy.rls import add_tenant_foreign_keys, disable_tenant_rls, enable_tenant_rls


# revision identifiers, used by Alembic.
revision = 'x6c0ffee0024'
down_revision = 'w6c0ffee0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purge_records',
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('cutoff', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('command', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_purge_records_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purge_records'))
    )
    with op.batch_alter_table('purge_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purge_records_structure_id'), ['structure_id'], unique=False)

    op.create_table('retention_settings',
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('motif', sa.Text(), nullable=False),
    sa.Column('set_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['memberships.id'], name=op.f('fk_retention_settings_set_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_retention_settings_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_settings')),
    sa.UniqueConstraint('structure_id', 'rule', name='uq_retention_settings_rule')
    )
    with op.batch_alter_table('retention_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_settings_set_by_id'), ['set_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_retention_settings_structure_id'), ['structure_id'], unique=False)

    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expired_on', sa.Date(), nullable=True))

    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_notice', sa.Text(), nullable=True))

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accompaniment_erased_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('age_band', sa.String(length=10), nullable=True))

    op.create_table('privacy_requests',
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answered_by_id', sa.Uuid(), nullable=True),
    sa.Column('erased_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('structure_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['memberships.id'], name=op.f('fk_privacy_requests_answered_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_privacy_requests_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['memberships.id'], name=op.f('fk_privacy_requests_recorded_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_privacy_requests_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_requests'))
    )
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_requests_answered_by_id'), ['answered_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_structure_id'), ['structure_id'], unique=False)

    enable_tenant_rls('privacy_requests')
    enable_tenant_rls('purge_records')
    enable_tenant_rls('retention_settings')
    add_tenant_foreign_keys()


def downgrade():
    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.drop_column('privacy_notice')
    disable_tenant_rls('privacy_requests')
    op.drop_table('privacy_requests')
    disable_tenant_rls('retention_settings')
    disable_tenant_rls('purge_records')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('age_band')
        batch_op.drop_column('anonymised_on')
        batch_op.drop_column('accompaniment_erased_on')

    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_column('expired_on')

    with op.batch_alter_table('retention_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_settings_structure_id'))
        batch_op.drop_index(batch_op.f('ix_retention_settings_set_by_id'))

    op.drop_table('retention_settings')
    with op.batch_alter_table('purge_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purge_records_structure_id'))

    op.drop_table('purge_records')
