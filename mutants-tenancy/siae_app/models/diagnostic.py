"""Diagnostic socio-professionnel: freins and atouts on a structure-editable list of axes,
confidential notes, and objectifs de parcours.

Sensitive axes (santé, handicap, addictions, justice) and confidential notes follow the
rules of the README's table « Qui voit quoi »; the filtering lives in
``siae_app.services.diagnostic``.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Authored
from siae_app.models.base import TenantRecord, Versioned, belongs_to, one_per_structure, refers_to
from siae_app.models.employees import OfEmployee

BARRIER_STATUSES = {
    "non_aborde": "Non abordé",
    "identifie": "Identifié",
    "en_cours": "En cours de levée",
    "leve": "Levé",
}

# 1–5 difficulty; blank means « non évalué » (never 1 by default).
BARRIER_LEVELS = {
    1: "1 — Faible",
    2: "2 — Modéré",
    3: "3 — Important",
    4: "4 — Très important",
    5: "5 — Bloquant",
}

OBJECTIVE_ORIGINS = {"salarie": "Le salarié", "cip": "La CIP"}
OBJECTIVE_STATUSES = {
    "non_aborde": "Non abordé",
    "en_cours": "En cours",
    "realise": "Réalisé",
    "abandonne": "Abandonné",
}

# (key, label, sensitive) — seeded for each structure, then edited by the structure.
DEFAULT_AXES = [
    ("mobilite", "Mobilité", False),
    ("logement", "Logement", False),
    ("sante", "Santé", True),
    ("contraintes_familiales", "Contraintes familiales", False),
    ("finances", "Difficultés financières", False),
    ("acces_droits", "Difficultés administratives / accès aux droits", False),
    ("francais", "Maîtrise du français", False),
    ("savoirs_base", "Savoirs de base", False),
    ("numerique", "Numérique", False),
    ("justice", "Justice", True),
    ("addictions", "Addictions", True),
    ("handicap", "Handicap", True),
]


class BarrierAxis(TenantRecord):
    """An axis of the diagnostic (mobilité, logement…), editable per structure."""

    __tablename__ = "barrier_axes"
    __table_args__ = one_per_structure("barrier_axes", "key")

    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    is_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Barrier(OfEmployee, Authored, Versioned, TenantRecord):
    """A frein of one salarié on one axis. Its history is in ChangeRecord (entity "frein")."""

    __tablename__ = "barriers"

    axis_id: Mapped[uuid.UUID] = refers_to("barrier_axes", ondelete="RESTRICT")
    status: Mapped[str] = mapped_column(String(20), default="identifie")
    level: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    axis: Mapped[BarrierAxis] = relationship()

    @property
    def is_sensitive(self) -> bool:
        return self.axis.is_sensitive


class Strength(Authored, TenantRecord):
    """An atout, in free text, on a non-sensitive axis where it fits."""

    __tablename__ = "strengths"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    axis_id: Mapped[uuid.UUID | None] = refers_to("barrier_axes")
    text: Mapped[str] = mapped_column(Text)

    axis: Mapped[BarrierAxis | None] = relationship()


class DiagnosticNote(Authored, TenantRecord):
    """A note of the diagnostic; the author may mark it confidential (then sensitive)."""

    __tablename__ = "diagnostic_notes"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    body: Mapped[str] = mapped_column(Text)
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_sensitive(self) -> bool:
        return self.is_confidential


class PathwayObjective(TenantRecord):
    """Objectif de parcours, possibly linked to a frein."""

    __tablename__ = "pathway_objectives"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    barrier_id: Mapped[uuid.UUID | None] = refers_to("barriers")
    label: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(20), default="cip")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="non_aborde")

    barrier: Mapped[Barrier | None] = relationship()
