"""The a6c0ffee0001 data step: memberships that existed before invitations had a status."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.site import ON_POSTGRES, test_config

T = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _tables():
    md = sa.MetaData()
    structures = sa.Table(
        "structures",
        md,
        sa.Column("id", sa.Uuid()),
        sa.Column("slug", sa.String()),
        sa.Column("name", sa.String()),
        sa.Column("kind", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    users = sa.Table(
        "users",
        md,
        sa.Column("id", sa.Uuid()),
        sa.Column("email", sa.String()),
        sa.Column("first_name", sa.String()),
        sa.Column("last_name", sa.String()),
        sa.Column("password_hash", sa.String()),
        sa.Column("session_nonce", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    memberships = sa.Table(
        "memberships",
        md,
        sa.Column("id", sa.Uuid()),
        sa.Column("structure_id", sa.Uuid()),
        sa.Column("user_id", sa.Uuid()),
        sa.Column("roles", sa.JSON()),
        sa.Column("is_active", sa.Boolean()),
        sa.Column("deactivated_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    return structures, users, memberships


def _seed(conn, structures, users, memberships) -> dict[str, uuid.UUID]:
    sid = uuid.uuid4()
    conn.execute(
        structures.insert().values(
            id=sid, slug="s", name="S", kind="ACI", created_at=T, updated_at=T
        )
    )
    ids = {}
    for key, password, active in [
        ("signed_up", "hash", True),
        ("never_came", None, True),
        ("left", "hash", False),
    ]:
        uid, mid = uuid.uuid4(), uuid.uuid4()
        conn.execute(
            users.insert().values(
                id=uid,
                email=f"{key}@example.org",
                first_name="A",
                last_name="B",
                password_hash=password,
                session_nonce="n",
                created_at=T,
                updated_at=T,
            )
        )
        conn.execute(
            memberships.insert().values(
                id=mid,
                structure_id=sid,
                user_id=uid,
                roles=["eti"],
                is_active=active,
                deactivated_at=None if active else T,
                created_at=T,
                updated_at=T,
            )
        )
        ids[key] = mid
    return ids


@pytest.mark.no_db
@pytest.mark.skipif(ON_POSTGRES, reason="scratch SQLite database")
def test_existing_memberships_get_a_status(tmp_path):
    from siae_app import create_app
    from siae_app.extensions import db, limiter

    saved = limiter._storage, limiter._limiter
    # Alembic's logging set-up disables the loggers that exist: put them back afterwards.
    loggers = [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    disabled = {lg: lg.disabled for lg in loggers}
    root = logging.getLogger()
    root_state = root.level, list(root.handlers)
    app = create_app(test_config(f"sqlite:///{tmp_path / 'm.sqlite'}"))
    try:
        with app.app_context():
            upgrade(revision="0e613cd46977")
            structures, users, memberships = _tables()
            with db.engine.begin() as conn:
                ids = _seed(conn, structures, users, memberships)
            upgrade()
            with db.engine.connect() as conn:
                rows = conn.execute(
                    sa.text("SELECT id, is_active, accepted_at, invited_at FROM memberships")
                ).all()
                verified = conn.execute(
                    sa.text("SELECT email FROM users WHERE email_verified_at IS NOT NULL")
                ).scalars()
                verified = sorted(verified)
            db.engine.dispose()
    finally:
        limiter._storage, limiter._limiter = saved
        for lg, was in disabled.items():
            lg.disabled = was
        root.setLevel(root_state[0])
        root.handlers[:] = root_state[1]
    by_id = {uuid.UUID(str(r[0])): r for r in rows}
    signed_up, never_came, left = (by_id[ids[k]] for k in ("signed_up", "never_came", "left"))
    assert signed_up[1] and signed_up[2] is not None  # active and accepted
    assert not never_came[1] and never_came[2] is None  # now a pending invitation
    assert not left[1] and left[2] is not None  # deactivated, had accepted
    assert all(r[3] is not None for r in rows)
    assert verified == ["left@example.org", "signed_up@example.org"]
