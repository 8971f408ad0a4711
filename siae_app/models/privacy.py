"""The life of personal data: a structure's retention durations and the purges' records."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    AppendOnly,
    TenantRecord,
    TenantRow,
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
