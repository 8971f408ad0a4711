"""Activités support and équipes, supervised by ETIs."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    TenantRecord,
    TenantRow,
    belongs_to,
    has_many,
    one_per_pair,
    one_per_structure,
    refers_to,
)


class Activity(TenantRecord):
    """Activité support: chantier, atelier (espaces verts, recyclerie...)."""

    __tablename__ = "activities"
    __table_args__ = one_per_structure("activities", "name")

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Team(TenantRecord):
    __tablename__ = "teams"
    __table_args__ = one_per_structure("teams", "name")

    name: Mapped[str] = mapped_column(String(120))
    activity_id: Mapped[uuid.UUID | None] = refers_to("activities")
    location: Mapped[str | None] = mapped_column(String(200))
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    activity: Mapped[Activity | None] = relationship()
    supervisions: Mapped[list[TeamSupervisor]] = has_many("team")


class TeamSupervisor(TenantRow):
    """An ETI (membership) who supervises a team."""

    __tablename__ = "team_supervisors"
    __table_args__ = one_per_pair("team_supervisors", "team_id", "membership_id")

    team_id: Mapped[uuid.UUID] = belongs_to("teams")
    membership_id: Mapped[uuid.UUID] = belongs_to("memberships")

    team: Mapped[Team] = relationship(back_populates="supervisions")
    membership: Mapped[Membership] = relationship()
