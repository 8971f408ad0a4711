"""Evaluations: grids of competencies, assessments of a salarié on a grid, goals, séances.

A grid item and an assessment item keep the label they were made with, so history stays
readable when a framework changes later. A validated assessment is locked; reopening it is
recorded with its motif.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Authored, Membership
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
from siae_app.models.employees import OfEmployee
from siae_app.models.frameworks import Competency, Criterion
from siae_app.models.observations import CitesObservation
from siae_app.models.scales import Level, Scale
from siae_app.models.statuses import AssessmentStatus, GoalStatus, LearningStatus, status_column
from siae_app.models.teams import Activity

ASSESSMENT_KINDS = {
    "initial": "Positionnement initial",
    "intermediate": "Évaluation intermédiaire",
    "final": "Évaluation finale",
    "self": "Auto-évaluation du salarié",
}

# A self-assessment is answered in plain words, not on the structure's scale.
SELF_ANSWERS = {
    "can": "Je sais faire",
    "with_help": "Je sais faire avec de l'aide",
    "not_yet": "Je ne sais pas encore",
    "unknown": "Je ne sais pas dire",
}


class Grid(TenantRecord):
    """Grille d'évaluation: competencies and criteria chosen from one or more frameworks."""

    __tablename__ = "grids"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    scale_id: Mapped[uuid.UUID | None] = refers_to("scales")
    # The activité support whose salariés use this grid by default.
    activity_id: Mapped[uuid.UUID | None] = refers_to("activities")
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    scale: Mapped[Scale | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    items: Mapped[list[GridItem]] = has_many("grid", order_by="GridItem.position")


class GridItem(TenantRow):
    """A competency (criterion_id empty) or one of its criteria, with its label frozen."""

    __tablename__ = "grid_items"

    grid_id: Mapped[uuid.UUID] = belongs_to("grids")
    position: Mapped[int] = mapped_column(Integer, default=0)
    competency_id: Mapped[uuid.UUID | None] = refers_to("framework_competencies")
    criterion_id: Mapped[uuid.UUID | None] = refers_to("framework_criteria")
    label: Mapped[str] = mapped_column(Text)
    # « REAC ETI (TP-00448) v2 — AT 1 », frozen like the label.
    source_label: Mapped[str | None] = mapped_column(String(300))
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    grid: Mapped[Grid] = relationship(back_populates="items")
    competency: Mapped[Competency | None] = relationship()
    criterion: Mapped[Criterion | None] = relationship()


class Assessment(OfEmployee, Authored, Versioned, TenantRecord):
    """Positionnement of a salarié on a grid; locked once validated."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_employee_on", "employee_id", "assessed_on"),)

    grid_id: Mapped[uuid.UUID | None] = refers_to("grids")
    scale_id: Mapped[uuid.UUID | None] = refers_to("scales")
    grid_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="intermediate")
    assessed_on: Mapped[date] = mapped_column(Date)
    seen_with_employee_at: Mapped[datetime | None] = timestamp()
    seen_with_employee_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    eti_validated_at: Mapped[datetime | None] = timestamp()
    eti_validated_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    cip_validated_at: Mapped[datetime | None] = timestamp()
    cip_validated_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # Set when the last required validation is given; cleared by a recorded reopening.
    locked_at: Mapped[datetime | None] = timestamp(index=True)

    grid: Mapped[Grid | None] = relationship()
    scale: Mapped[Scale | None] = relationship()
    seen_with_employee_by: Mapped[Membership | None] = relationship(
        foreign_keys=[seen_with_employee_by_id]
    )
    eti_validated_by: Mapped[Membership | None] = relationship(foreign_keys=[eti_validated_by_id])
    cip_validated_by: Mapped[Membership | None] = relationship(foreign_keys=[cip_validated_by_id])
    items: Mapped[list[AssessmentItem]] = has_many("assessment", order_by="AssessmentItem.position")
    reopenings: Mapped[list[AssessmentReopening]] = has_records(
        "assessment", order_by="AssessmentReopening.created_at"
    )

    kind_label = label_of("kind", ASSESSMENT_KINDS)

    @property
    def status(self) -> AssessmentStatus:
        if self.locked_at is not None:
            return AssessmentStatus.LOCKED
        if self.eti_validated_at or self.cip_validated_at:
            return AssessmentStatus.PARTLY_VALIDATED
        if self.seen_with_employee_at is not None:
            return AssessmentStatus.SEEN
        return AssessmentStatus.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class AssessmentItem(TenantRow):
    """One line of an assessment: a level, or none (« non évalué », never a low level)."""

    __tablename__ = "assessment_items"

    assessment_id: Mapped[uuid.UUID] = belongs_to("assessments")
    grid_item_id: Mapped[uuid.UUID | None] = refers_to("grid_items")
    competency_id: Mapped[uuid.UUID | None] = refers_to("framework_competencies")
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(Text)
    source_label: Mapped[str | None] = mapped_column(String(300))
    level_id: Mapped[uuid.UUID | None] = refers_to("scale_levels")
    # Frozen with the level so a later change of the scale does not rewrite history.
    level_label: Mapped[str | None] = mapped_column(String(80))
    level_rank: Mapped[int | None] = mapped_column(Integer)
    counts_as_acquired: Mapped[bool] = mapped_column(Boolean, default=False)
    self_answer: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="items")
    grid_item: Mapped[GridItem | None] = relationship()
    competency: Mapped[Competency | None] = relationship()
    level: Mapped[Level | None] = relationship()
    evidence: Mapped[list[AssessmentEvidence]] = has_many("item")

    @property
    def self_answer_label(self) -> str:
        return SELF_ANSWERS.get(self.self_answer or "", "")


class AssessmentEvidence(CitesObservation, TenantRow):
    """An observation that supports the level given on an item."""

    __tablename__ = "assessment_evidence"
    __table_args__ = one_per_pair("assessment_evidence", "item_id", "observation_id")

    item_id: Mapped[uuid.UUID] = belongs_to("assessment_items")

    item: Mapped[AssessmentItem] = relationship(back_populates="evidence")


class AssessmentReopening(Reopening):
    """A validated assessment reopened for a correction, with who, when and why."""

    __tablename__ = "assessment_reopenings"

    assessment_id: Mapped[uuid.UUID] = belongs_to("assessments")

    assessment: Mapped[Assessment] = relationship(back_populates="reopenings")


class Goal(OfEmployee, Authored, TenantRecord):
    """Objectif de progression on a competency: a target level by a date."""

    __tablename__ = "goals"

    competency_id: Mapped[uuid.UUID | None] = refers_to("framework_competencies")
    label: Mapped[str] = mapped_column(Text)
    target_level_id: Mapped[uuid.UUID | None] = refers_to("scale_levels")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GoalStatus] = status_column(GoalStatus, GoalStatus.OPEN)
    # The assessment that reported on it last.
    reported_in_id: Mapped[uuid.UUID | None] = refers_to("assessments")

    competency: Mapped[Competency | None] = relationship()
    target_level: Mapped[Level | None] = relationship()


class LearningSession(OfEmployee, Authored, TenantRecord):
    """Séance d'apprentissage on the job (AFEST): planned, held with its reflexive note,
    then evaluated."""

    __tablename__ = "learning_sessions"
    __table_args__ = (Index("ix_learning_sessions_employee_on", "employee_id", "planned_on"),)

    competency_id: Mapped[uuid.UUID | None] = refers_to("framework_competencies")
    competency_label: Mapped[str] = mapped_column(Text)
    work_situation: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[date] = mapped_column(Date)
    status: Mapped[LearningStatus] = status_column(LearningStatus, LearningStatus.PLANNED)
    reflection: Mapped[str | None] = mapped_column(Text)
    assessment_id: Mapped[uuid.UUID | None] = refers_to("assessments")

    competency: Mapped[Competency | None] = relationship()
    assessment: Mapped[Assessment | None] = relationship()
