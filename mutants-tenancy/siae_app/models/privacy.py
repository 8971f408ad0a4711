"""The life of personal data: a structure's retention durations and the purges' records."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    AppendOnly,
    TenantRecord,
    TenantRow,
    belongs_to,
    label_of,
    one_per_structure,
    refers_to,
    timestamp,
    utcnow,
)


class RetentionSetting(TenantRecord):
    """A duration the direction lengthened, with its motif (the register's default otherwise)."""

    __tablename__ = "retention_settings"
    __table_args__ = one_per_structure("retention_settings", "rule")

    rule: Mapped[str] = mapped_column(String(20))
    months: Mapped[int] = mapped_column(Integer)
    motif: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    set_by: Mapped[Membership | None] = relationship()


class PurgeRecord(AppendOnly, TenantRow):
    """What one run of ``flask rgpd purge`` did in one structure, under one rule: how many rows
    of which table, never whose. Nobody changes it, not even the direction who reads it."""

    __tablename__ = "purge_records"

    at: Mapped[datetime] = timestamp(default=utcnow)
    rule: Mapped[str] = mapped_column(String(20))
    months: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    command: Mapped[str] = mapped_column(String(200))


# What a person may ask about their data (RGPD, art. 15 to 21), in the order of the form.
REQUEST_KINDS = {
    "acces": "Accès (copie de ce qui est détenu)",
    "rectification": "Rectification",
    "limitation": "Limitation du traitement",
    "opposition": "Opposition",
    "effacement": "Effacement",
}


class PrivacyRequest(TenantRecord):
    """A request of the salarié about their data, and the structure's answer (dated, by whom).
    Limitation and opposition stay shown on the file with their scope."""

    __tablename__ = "privacy_requests"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # Made by the salarié themself, from their own space (no one of the team wrote it down).
    from_space: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # An erasure request answered by erasing what could go that day.
    erased_on: Mapped[date | None] = mapped_column(Date)

    recorded_by: Mapped[Membership | None] = relationship(foreign_keys=[recorded_by_id])
    answered_by: Mapped[Membership | None] = relationship(foreign_keys=[answered_by_id])

    kind_label = label_of("kind", REQUEST_KINDS)

    @property
    def stays_on_file(self) -> bool:
        return self.kind in ("limitation", "opposition")
