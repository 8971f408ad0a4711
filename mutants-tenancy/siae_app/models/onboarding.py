"""Accueil: a checklist template per structure, an instance per salarié."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    TenantRecord,
    belongs_to,
    label_of,
    one_per_pair,
    one_per_structure,
    refers_to,
    timestamp,
)

RESPONSIBLES = {"eti": "ETI", "cip": "CIP", "administration": "Administration"}

# (key, label, responsible, due within N days of arrival, date required)
DEFAULT_CHECKLIST = [
    ("contrat_signe", "Contrat signé", "administration", 0, False),
    ("livret_accueil", "Livret d'accueil remis", "cip", 7, False),
    ("reglement_interieur", "Règlement intérieur expliqué", "cip", 7, False),
    ("epi", "EPI remis", "eti", 0, False),
    ("formation_securite", "Formation pratique à la sécurité", "eti", 0, True),
    ("vip", "Visite d'information et de prévention", "administration", 90, True),
    ("mutuelle", "Mutuelle / prévoyance", "administration", 30, False),
    ("charte_insertion", "Charte d'insertion", "cip", 15, False),
    ("notice_rgpd", "Notice d'information RGPD remise", "cip", 7, True),
]


class OnboardingTemplateItem(TenantRecord):
    """One item of the structure's accueil checklist."""

    __tablename__ = "onboarding_template_items"
    __table_args__ = one_per_structure("onboarding_template_items", "key")

    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(20), default="cip")
    due_days: Mapped[int] = mapped_column(Integer, default=0)
    date_required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    responsible_label = label_of("responsible", RESPONSIBLES)


class OnboardingItem(TenantRecord):
    """One item of a salarié's accueil: done or not, by whom, when."""

    __tablename__ = "onboarding_items"
    __table_args__ = one_per_pair("onboarding_items", "employee_id", "template_item_id")

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    template_item_id: Mapped[uuid.UUID] = belongs_to("onboarding_template_items")
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    recorded_at: Mapped[datetime | None] = timestamp()

    template_item: Mapped[OnboardingTemplateItem] = relationship()
    done_by: Mapped[Membership | None] = relationship()

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
