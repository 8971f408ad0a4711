"""Data steps run by migrations (kept out of the version files so they stay readable)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from siae_app.models.scale import DEFAULT_LEVELS


def insert_default_scales() -> None:
    """Give every existing structure the default scale (new ones get it at creation)."""
    bind = op.get_bind()
    structures = sa.table("structures", sa.column("id", sa.Uuid))
    scales = sa.table(
        "scales",
        sa.column("id", sa.Uuid),
        sa.column("structure_id", sa.Uuid),
        sa.column("name", sa.String),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    levels = sa.table(
        "scale_levels",
        sa.column("id", sa.Uuid),
        sa.column("structure_id", sa.Uuid),
        sa.column("scale_id", sa.Uuid),
        sa.column("position", sa.Integer),
        sa.column("label", sa.String),
        sa.column("code", sa.String),
        sa.column("color", sa.String),
        sa.column("counts_as_acquired", sa.Boolean),
    )
    now = datetime.now(UTC)
    for (structure_id,) in bind.execute(sa.select(structures.c.id)).all():
        scale_id = uuid.uuid4()
        bind.execute(
            scales.insert().values(
                id=scale_id,
                structure_id=structure_id,
                name="Échelle par défaut",
                is_default=True,
                created_at=now,
                updated_at=now,
            )
        )
        for position, (label, code, color, acquired) in enumerate(DEFAULT_LEVELS):
            bind.execute(
                levels.insert().values(
                    id=uuid.uuid4(),
                    structure_id=structure_id,
                    scale_id=scale_id,
                    position=position,
                    label=label,
                    code=code,
                    color=color,
                    counts_as_acquired=acquired,
                )
            )
