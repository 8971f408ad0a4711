"""« Vu — rappeler dans 7 jours »: an alert line snoozed for the whole team."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRow, belongs_to, refers_to, timestamp, utcnow


class AlertSnooze(TenantRow):
    __tablename__ = "alert_snoozes"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    kind: Mapped[str] = mapped_column(String(40))
    until: Mapped[date] = mapped_column(Date)
    membership_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    at: Mapped[datetime] = timestamp(default=utcnow)

    membership: Mapped[Membership | None] = relationship()
