"""The « dossier de preuves » of a salarié for a VAE / RSFP jury: one per (salarié, titre),
and the pieces of evidence the CIP chose for it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, TenantRow, belongs_to, has_many, refers_to, timestamp
from siae_app.models.employees import OfEmployee
from siae_app.models.frameworks import Framework

# What a chosen piece of evidence is: the kind names the table its ``object_id`` points to.
EVIDENCE_KINDS = {
    "observation": "Observation",
    "seance": "Séance d'apprentissage (AFEST)",
    "immersion": "Immersion (PMSMP)",
    "training": "Formation",
}


class EvidenceFile(OfEmployee, TenantRecord):
    """A salarié's dossier de preuves on one framework (a titre's REAC). ``created_by`` first
    prepared it, ``chosen_by``/``chosen_at`` last recorded the chosen evidence; offered in
    the salarié's own space when ``offered_in_space`` (who, when)."""

    __tablename__ = "evidence_files"
    __table_args__ = (
        UniqueConstraint(
            "employee_id", "framework_id", name="uq_evidence_files_employee_framework"
        ),
    )

    framework_id: Mapped[uuid.UUID] = belongs_to("frameworks")
    created_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    chosen_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    chosen_at: Mapped[datetime | None] = timestamp()
    offered_in_space: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    offered_at: Mapped[datetime | None] = timestamp()
    offered_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    framework: Mapped[Framework] = relationship()
    created_by: Mapped[Membership | None] = relationship(foreign_keys=[created_by_id])
    chosen_by: Mapped[Membership | None] = relationship(foreign_keys=[chosen_by_id])
    offered_by: Mapped[Membership | None] = relationship(foreign_keys=[offered_by_id])
    items: Mapped[list[EvidenceFileItem]] = has_many("evidence_file")


class EvidenceFileItem(TenantRow):
    """One chosen piece of evidence: its kind and the id of the cited record."""

    __tablename__ = "evidence_file_items"
    __table_args__ = (
        UniqueConstraint(
            "evidence_file_id", "kind", "object_id", name="uq_evidence_file_items_pick"
        ),
    )

    evidence_file_id: Mapped[uuid.UUID] = belongs_to("evidence_files")
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[uuid.UUID] = mapped_column(Uuid)

    evidence_file: Mapped[EvidenceFile] = relationship(back_populates="items")
