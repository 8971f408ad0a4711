"""Situations urgentes flagged on the chantier, until someone acknowledges them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, label_of, refers_to, timestamp
from siae_app.models.employees import OfEmployee

URGENT_KINDS = {
    "sans_nouvelles": "Absence sans nouvelles",
    "conflit": "Conflit",
    "accident": "Accident",
    "mise_en_danger": "Mise en danger",
    "autre": "Autre",
}


class UrgentSituation(OfEmployee, TenantRecord):
    __tablename__ = "urgent_situations"

    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    reported_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    acknowledged_at: Mapped[datetime | None] = timestamp(index=True)
    acknowledged_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    action_taken: Mapped[str | None] = mapped_column(Text)

    reported_by: Mapped[Membership | None] = relationship(foreign_keys=[reported_by_id])
    acknowledged_by: Mapped[Membership | None] = relationship(foreign_keys=[acknowledged_by_id])

    kind_label = label_of("kind", URGENT_KINDS)
