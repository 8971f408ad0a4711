"""Observations written on the chantier: a short text, a tone, cited competencies, a level."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Authored
from siae_app.models.base import (
    TenantRecord,
    TenantRow,
    belongs_to,
    has_many,
    label_of,
    mixin_relationship,
    refers_to,
)
from siae_app.models.employees import OfEmployee
from siae_app.models.frameworks import Competency
from siae_app.models.scales import Level

TONES = {
    "positive": "Point positif",
    "vigilance": "Point de vigilance",
    "neutral": "Neutre",
}


class Observation(OfEmployee, Authored, TenantRecord):
    """The id is minted by the phone, so a replayed POST is a no-op.

    A sensitive observation is seen by its author, the CIP and coordination only.
    """

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_employee_on", "employee_id", "observed_on"),
        Index("ix_observations_structure_on", "structure_id", "observed_on"),
        # The roster's panel counts a team's recent citations (services/observations.py).
        Index("ix_observations_team_on", "team_id", "observed_on"),
    )

    team_id: Mapped[uuid.UUID | None] = refers_to("teams")
    observed_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    tone: Mapped[str] = mapped_column(String(20), default="neutral")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    level_id: Mapped[uuid.UUID | None] = refers_to("scale_levels")

    level: Mapped[Level | None] = relationship()
    links: Mapped[list[ObservationCompetency]] = has_many("observation")

    tone_label = label_of("tone", TONES)


class CitesObservation:
    """A row that cites one observation (evidence, a highlight), deleted with it."""

    observation_id: Mapped[uuid.UUID] = belongs_to("observations")

    observation: Mapped[Observation] = mixin_relationship("Observation")


class ObservationCompetency(TenantRow):
    """A competency cited by an observation."""

    __tablename__ = "observation_competencies"
    __table_args__ = (
        UniqueConstraint("observation_id", "competency_id", name="uq_observation_competencies"),
    )

    observation_id: Mapped[uuid.UUID] = belongs_to("observations")
    competency_id: Mapped[uuid.UUID] = belongs_to("framework_competencies")

    observation: Mapped[Observation] = relationship(back_populates="links")
    competency: Mapped[Competency] = relationship()
