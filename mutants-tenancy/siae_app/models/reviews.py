"""Bilans (Review): compiled from what the team recorded, held, validated, printed.

Workflow brouillon → prêt → tenu → validé; a validated bilan is locked and reopening it is
recorded. What leaves the structure (the salarié's copy, the prescripteur's) never carries a
sensitive item unless the CIP includes that one item, and the inclusion is recorded.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Authored, Membership
from siae_app.models.actions import Action
from siae_app.models.base import (
    Reopening,
    TenantRecord,
    TenantRow,
    Versioned,
    belongs_to,
    has_many,
    has_records,
    label_of,
    one_per_pair,
    refers_to,
    timestamp,
)
from siae_app.models.diagnostic import Barrier, DiagnosticNote, PathwayObjective
from siae_app.models.employees import OfEmployee
from siae_app.models.evaluations import Goal
from siae_app.models.observations import CitesObservation
from siae_app.models.statuses import ReviewStatus, status_column

REVIEW_KINDS = {
    "integration": "Bilan d'intégration",
    "intermediate": "Bilan intermédiaire",
    "tripartite": "Entretien tripartite",
    "prolongation": "Bilan de prolongation du PASS IAE",
    "exit": "Bilan de sortie",
    "followup_6m": "Suivi à 6 mois",
}

# The funder's prolongation template: needs scored ++ / + / − / −−.
PROLONGATION_NEEDS = {
    "savoirs_base": "Savoirs de base / illectronisme",
    "autonomie_poste": "Autonomie au poste",
    "projet_pro": "Projet professionnel",
    "recherche_emploi": "Recherche d'emploi",
    "logement": "Logement",
    "acces_droits": "Accès aux droits",
    "demarches_admin": "Démarches administratives",
    "mobilite": "Mobilité",
    "finances": "Finances",
    "sante": "Santé",
    "handicap_compensation": "Handicap (compensation)",
    "handicap_retablissement": "Handicap (rétablissement)",
    "judiciaire": "Judiciaire",
    "contraintes_familiales": "Contraintes familiales",
}
# Needs that are special-category data: never printed for the outside unless
# the CIP includes them explicitly.
SENSITIVE_NEEDS = frozenset(
    {"sante", "handicap_compensation", "handicap_retablissement", "judiciaire"}
)
NEED_SCORES = {"++": "++", "+": "+", "-": "−", "--": "−−"}

FOLLOWUP_OUTCOMES = {
    "goal": {"reached": "Atteint", "partly": "En partie", "missed": "Non fait"},
    "objective": {"reached": "Atteint", "partly": "En partie", "missed": "Non fait"},
    "action": {"done": "Faite", "not_done": "Non faite"},
}

RENEWAL_CHOICES = {
    "renew": "Renouvellement proposé",
    "no_renew": "Pas de renouvellement",
    "not_applicable": "Sans objet",
}


class Review(OfEmployee, Authored, Versioned, TenantRecord):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_employee_due", "employee_id", "due_on"),)

    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[ReviewStatus] = status_column(ReviewStatus, ReviewStatus.DRAFT, index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Figures compiled when the draft was opened (attendance, evaluation progress, freins…),
    # frozen so the bilan says what was known that day.
    compiled: Mapped[dict] = mapped_column(JSON, default=dict)
    eti_part: Mapped[str | None] = mapped_column(Text)
    cip_synthesis: Mapped[str | None] = mapped_column(Text)
    employee_words: Mapped[str | None] = mapped_column(Text)
    renewal: Mapped[str | None] = mapped_column(String(20))
    renewal_months: Mapped[int | None] = mapped_column(Integer)
    prolongation_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    orientation: Mapped[str | None] = mapped_column(Text)
    exit_planned: Mapped[bool] = mapped_column(Boolean, default=False)
    next_appointment_on: Mapped[date | None] = mapped_column(Date)
    # Bilan de prolongation (funder's template)
    needs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    actions_done: Mapped[str | None] = mapped_column(Text)
    actions_planned: Mapped[str | None] = mapped_column(Text)
    requested_months: Mapped[int | None] = mapped_column(Integer)
    prolongation_motif: Mapped[str | None] = mapped_column(String(40))
    validated_at: Mapped[datetime | None] = timestamp()
    validated_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    validated_by: Mapped[Membership | None] = relationship(foreign_keys=[validated_by_id])
    participants: Mapped[list[ReviewParticipant]] = has_many(
        "review", order_by="ReviewParticipant.position"
    )
    highlights: Mapped[list[ReviewHighlight]] = has_many("review")
    followups: Mapped[list[ReviewFollowup]] = has_many("review", order_by="ReviewFollowup.position")
    disclosures: Mapped[list[ReviewDisclosure]] = has_many("review")
    reopenings: Mapped[list[ReviewReopening]] = has_records(
        "review", order_by="ReviewReopening.created_at"
    )

    kind_label = label_of("kind", REVIEW_KINDS)

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.VALIDATED


class ReviewParticipant(TenantRow):
    """Who took part (salarié, ETI, CIP, prescripteur…), with their organisation."""

    __tablename__ = "review_participants"

    review_id: Mapped[uuid.UUID] = belongs_to("reviews")
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))

    review: Mapped[Review] = relationship(back_populates="participants")


class ReviewHighlight(CitesObservation, TenantRow):
    """An observation the team chose to show in the bilan (highlights, not all)."""

    __tablename__ = "review_highlights"
    __table_args__ = one_per_pair("review_highlights", "review_id", "observation_id")

    review_id: Mapped[uuid.UUID] = belongs_to("reviews")

    review: Mapped[Review] = relationship(back_populates="highlights")


class ReviewFollowup(TenantRow):
    """A goal, objective or action of the previous period, with its outcome in one gesture."""

    __tablename__ = "review_followups"

    review_id: Mapped[uuid.UUID] = belongs_to("reviews")
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))  # goal / objective / action
    goal_id: Mapped[uuid.UUID | None] = refers_to("goals")
    objective_id: Mapped[uuid.UUID | None] = refers_to("pathway_objectives")
    action_id: Mapped[uuid.UUID | None] = refers_to("actions")
    label: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))

    review: Mapped[Review] = relationship(back_populates="followups")
    goal: Mapped[Goal | None] = relationship()
    objective: Mapped[PathwayObjective | None] = relationship()
    action: Mapped[Action | None] = relationship()

    @property
    def outcome_label(self) -> str:
        return FOLLOWUP_OUTCOMES.get(self.kind, {}).get(self.outcome or "", "")


class ReviewDisclosure(TenantRecord):
    """A sensitive item the CIP explicitly included in the copies that leave the structure."""

    __tablename__ = "review_disclosures"

    review_id: Mapped[uuid.UUID] = belongs_to("reviews")
    barrier_id: Mapped[uuid.UUID | None] = belongs_to("barriers")
    note_id: Mapped[uuid.UUID | None] = belongs_to("diagnostic_notes")
    need_key: Mapped[str | None] = mapped_column(String(40))
    included_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    review: Mapped[Review] = relationship(back_populates="disclosures")
    barrier: Mapped[Barrier | None] = relationship()
    note: Mapped[DiagnosticNote | None] = relationship()
    included_by: Mapped[Membership | None] = relationship()


class ReviewReopening(Reopening):
    __tablename__ = "review_reopenings"

    review_id: Mapped[uuid.UUID] = belongs_to("reviews")

    review: Mapped[Review] = relationship(back_populates="reopenings")
