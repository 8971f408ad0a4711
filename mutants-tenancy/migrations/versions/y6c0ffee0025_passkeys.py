"""passkeys: a second way to give the second factor at sign-in

Revision ID: y6c0ffee0025
Revises: x6c0ffee0024

``passkeys``: the WebAuthn credentials a person added in « Mon compte » (credential id, public
key, the authenticator's counter, a label from the browser, transports, dates). Per person,
like ``users`` and ``trusted_devices``: no structure, no row-level security.
Create Date: 2026-12-06 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'y6c0ffee0025'
down_revision = 'x6c0ffee0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passkeys',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('credential_id', sa.LargeBinary(length=1024), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('transports', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_passkeys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkeys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkeys_credential_id'))
    )
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkeys_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkeys_user_id'))

    op.drop_table('passkeys')
