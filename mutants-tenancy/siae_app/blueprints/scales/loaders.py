"""Scales and their levels from URL ids: 404 outside the tenant, or a level of another scale."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Level, Scale


def scale_query() -> Select:
    """Scales with their levels (every page of a scale shows them)."""
    return select(Scale).options(selectinload(Scale.levels))


def scale(scale_id: uuid.UUID) -> Scale:
    return db.first_or_404(scale_query().where(Scale.id == scale_id))


def level(scale_obj: Scale, level_id: uuid.UUID) -> Level:
    return db.first_or_404(
        select(Level).where(Level.id == level_id, Level.scale_id == scale_obj.id)
    )
