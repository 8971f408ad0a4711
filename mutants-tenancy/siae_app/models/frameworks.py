"""Competence frameworks: Framework → Block → Competency → Criterion (a REAC's shape)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.base import (
    TenantRecord,
    TenantRow,
    belongs_to,
    has_many,
    label_of,
    one_per_pair,
    refers_to,
)

SOURCE_LABELS = {
    "reac": "REAC importé (lecture seule)",
    "structure": "Référentiel de la structure",
}
BLOCK_KIND_LABELS = {
    "activity": "Activité type",
    "extension": "Activité type d'extension",
}
COMPETENCY_KIND_LABELS = {
    "professional": "Compétence professionnelle",
    "transversal": "Compétence transversale",
}
KNOWLEDGE_LABELS = {
    "savoir_faire_techniques": "Savoir-faire techniques",
    "savoir_faire_organisationnels": "Savoir-faire organisationnels",
    "savoir_faire_relationnels": "Savoir-faire relationnels",
    "savoirs": "Savoirs",
}


class _OfFramework:
    """A row that belongs to a framework (and goes with it)."""

    framework_id: Mapped[uuid.UUID] = belongs_to("frameworks")


class _FrameworkPart(_OfFramework):
    """What blocks, competencies and criteria share: their framework, rank and archiving."""

    position: Mapped[int] = mapped_column(Integer, default=0)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Framework(TenantRecord):
    __tablename__ = "frameworks"
    __table_args__ = (
        UniqueConstraint("structure_id", "family_key", "version_number", name="uq_frameworks_v"),
    )

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="structure")
    # Versions of the same titre share a family (the REAC code, or a uuid for own frameworks).
    family_key: Mapped[str] = mapped_column(String(80), index=True)
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    acronym: Mapped[str | None] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(20))
    vintage: Mapped[str | None] = mapped_column(String(20))  # millésime
    validated_on: Mapped[date | None] = mapped_column(Date)
    updated_on: Mapped[date | None] = mapped_column(Date)
    source_filename: Mapped[str | None] = mapped_column(String(255))
    import_warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)

    blocks: Mapped[list[Block]] = has_many("framework", order_by="Block.position")
    competencies: Mapped[list[Competency]] = has_many("framework", order_by="Competency.position")

    @property
    def is_read_only(self) -> bool:
        return self.source == "reac"

    source_label = label_of("source", SOURCE_LABELS)


class Block(_FrameworkPart, TenantRow):
    __tablename__ = "framework_blocks"

    number: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="activity")
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    framework: Mapped[Framework] = relationship(back_populates="blocks")
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="block", order_by="Competency.position"
    )

    @property
    def kind_label(self) -> str:
        if not self.framework.is_read_only:
            return "Bloc de compétences"
        return BLOCK_KIND_LABELS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        """ "AT 1" / "CCS 1" in a REAC; nothing in a structure's own framework."""
        if not self.framework.is_read_only or not self.number:
            return ""
        return f"{'CCS' if self.kind == 'extension' else 'AT'} {self.number}"


class Competency(_FrameworkPart, TenantRow):
    """A competency; transversal ones of a REAC have no block."""

    __tablename__ = "framework_competencies"

    block_id: Mapped[uuid.UUID | None] = belongs_to("framework_blocks")
    number: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="professional")
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    knowledge: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="competencies")
    block: Mapped[Block | None] = relationship(back_populates="competencies")
    criteria: Mapped[list[Criterion]] = has_many("competency", order_by="Criterion.position")

    kind_label = label_of("kind", COMPETENCY_KIND_LABELS)

    @property
    def label(self) -> str:
        if self.kind == "professional" and self.number:
            return f"CP {self.number}"
        return ""


class Criterion(_FrameworkPart, TenantRow):
    __tablename__ = "framework_criteria"

    competency_id: Mapped[uuid.UUID] = belongs_to("framework_competencies")
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")

    competency: Mapped[Competency] = relationship(back_populates="criteria")


class FrameworkImport(TenantRecord):
    """A parsed upload waiting for confirmation (the preview); never a framework by itself."""

    __tablename__ = "framework_imports"

    membership_id: Mapped[uuid.UUID] = belongs_to("memberships")
    filename: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON)
    framework_id: Mapped[uuid.UUID | None] = refers_to("frameworks")


class ActivityFramework(_OfFramework, TenantRow):
    """Frameworks that apply to an activité support."""

    __tablename__ = "activity_frameworks"
    __table_args__ = one_per_pair("activity_frameworks", "activity_id", "framework_id")

    activity_id: Mapped[uuid.UUID] = belongs_to("activities")

    framework: Mapped[Framework] = relationship()
