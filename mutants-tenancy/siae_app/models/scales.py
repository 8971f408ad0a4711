"""Evaluation scales: ordered levels, some of which count as "acquis"."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.base import TenantRecord, TenantRow, belongs_to, has_many

DEFAULT_LEVELS = [
    # (label, code, colour, counts as acquired)
    ("Non évalué", "NE", "#6b7280", False),
    ("Non acquis", "NA", "#b91c1c", False),
    ("En cours d'acquisition", "ECA", "#b45309", False),
    ("Acquis", "A", "#15803d", True),
    ("Maîtrisé", "M", "#1d4ed8", True),
]


class Scale(TenantRecord):
    __tablename__ = "scales"

    name: Mapped[str] = mapped_column(String(120))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    levels: Mapped[list[Level]] = has_many("scale", order_by="Level.position")


class Level(TenantRow):
    __tablename__ = "scale_levels"

    scale_id: Mapped[uuid.UUID] = belongs_to("scales")
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(80))
    code: Mapped[str] = mapped_column(String(10))
    color: Mapped[str] = mapped_column(String(7), default="#6b7280")
    counts_as_acquired: Mapped[bool] = mapped_column(Boolean, default=False)

    scale: Mapped[Scale] = relationship(back_populates="levels")
