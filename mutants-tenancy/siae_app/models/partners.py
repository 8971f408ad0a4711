"""Partenaires: the structure's directory of actors (cartographie des acteurs)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.base import TenantRecord, belongs_to, has_many, label_of

PARTNER_KINDS = {
    "france_travail": "France Travail",
    "mission_locale": "Mission locale",
    "ccas": "CCAS",
    "caf": "CAF",
    "cpam": "CPAM",
    "spip": "SPIP",
    "cmp": "CMP",
    "auto_ecole_sociale": "Auto-école sociale",
    "formation": "Organisme de formation",
    "logement": "Logement / hébergement",
    "employeur": "Employeur",
    "autre": "Autre",
}


class Partner(TenantRecord):
    __tablename__ = "partners"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="autre")
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    contacts: Mapped[list[PartnerContact]] = has_many("partner", order_by="PartnerContact.name")

    kind_label = label_of("kind", PARTNER_KINDS)


class PartnerContact(TenantRecord):
    __tablename__ = "partner_contacts"

    partner_id: Mapped[uuid.UUID] = belongs_to("partners")
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))

    partner: Mapped[Partner] = relationship(back_populates="contacts")
