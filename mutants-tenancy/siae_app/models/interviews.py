"""Entretiens individuels: locked once closed; reopening needs a motif (recorded)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from siae_app.models.accounts import Authored
from siae_app.models.base import TenantRecord, Versioned, belongs_to, label_of, timestamp
from siae_app.models.statuses import InterviewStatus

INTERVIEW_KINDS = {
    "diagnostic_accueil": "Diagnostic d'accueil",
    "suivi": "Suivi",
    "periode_essai": "Point période d'essai",
    "preparation_sortie": "Préparation de sortie",
    "tripartite": "Entretien tripartite",
    "autre": "Autre",
}


class Interview(Authored, Versioned, TenantRecord):
    __tablename__ = "interviews"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30), default="suivi")
    summary: Mapped[str | None] = mapped_column(Text)
    next_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = timestamp()

    @property
    def status(self) -> InterviewStatus:
        return InterviewStatus.OPEN if self.closed_at is None else InterviewStatus.CLOSED

    @property
    def is_closed(self) -> bool:
        return self.status is InterviewStatus.CLOSED

    kind_label = label_of("kind", INTERVIEW_KINDS)
