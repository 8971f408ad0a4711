"""signed user setting: app_memberships_of answers for the signed person only

Revision ID: l6c0ffee0012
Revises: k6c0ffee0011

``app_memberships_of(user_id)`` (SECURITY DEFINER) returned anyone's memberships to the
application's role: an SQL injection could list every person's structures and roles. It now
answers only when ``user_id`` is the person named by ``app.user_id`` with its signature
``app.user_token`` (``app_current_user()``, the structure setting's key in ``app_private``),
which the application sets for the call. Same signature: the grants of ``flask dbrole
setup`` stay. PostgreSQL only.
Create Date: 2026-12-02 09:00:00

"""
from alembic import op

from siae_app.tenancy.rls import (
    bind_memberships_function,
    create_memberships_function,
    create_user_setting,
    drop_user_setting,
)


# revision identifiers, used by Alembic.
revision = 'l6c0ffee0012'
down_revision = 'k6c0ffee0011'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    create_user_setting()
    bind_memberships_function()


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    create_memberships_function()  # the unbound one, as before
    drop_user_setting()
