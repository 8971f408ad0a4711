"""Pistes d'action: the proof of accompaniment the funder checks."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, Versioned, refers_to
from siae_app.models.employees import OfEmployee
from siae_app.models.partners import Partner

ACTION_NATURES = {
    "demarche": "Démarche administrative",
    "orientation": "Orientation vers un partenaire",
    "formation": "Formation",
    "pmsmp": "Immersion en entreprise (PMSMP)",
    "emploi": "Recherche d'emploi",
    "mobilite": "Mobilité",
    "logement": "Logement",
    "sante": "Santé",
    "autre": "Autre",
}

ACTION_STATUSES = {
    "prevue": "Prévue",
    "en_cours": "En cours",
    "faite": "Faite",
    "abandonnee": "Abandonnée",
    "annulee": "Annulée",
    "en_attente": "En attente",
}
OPEN_ACTION_STATUSES = ("prevue", "en_cours", "en_attente")


class Action(OfEmployee, Versioned, TenantRecord):
    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_structure_due", "structure_id", "due_date"),)

    label: Mapped[str] = mapped_column(String(300))
    nature: Mapped[str] = mapped_column(String(30), default="autre")
    partner_id: Mapped[uuid.UUID | None] = refers_to("partners")
    owner_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="prevue")
    result: Mapped[str | None] = mapped_column(Text)
    minutes_spent: Mapped[int | None] = mapped_column(Integer)

    partner: Mapped[Partner | None] = relationship()
    owner: Mapped[Membership | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES
