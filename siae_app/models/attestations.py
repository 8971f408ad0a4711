"""Attestations de compétences: proposed, signed by the direction (content and PDF frozen),
verifiable by anyone holding the code, revocable with a motif; batch exports as a job."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    TenantRecord,
    Versioned,
    one_per_structure,
    refers_to,
    timestamp,
)
from siae_app.models.employees import OfEmployee
from siae_app.models.evaluations import Assessment
from siae_app.models.statuses import AttestationStatus, BatchStatus, status_column


class Attestation(OfEmployee, Versioned, TenantRecord):
    __tablename__ = "attestations"
    __table_args__ = one_per_structure("attestations", "status_index")

    assessment_id: Mapped[uuid.UUID | None] = refers_to("assessments")
    status: Mapped[AttestationStatus] = status_column(
        AttestationStatus, AttestationStatus.PROPOSED, index=True
    )
    # What the document says (competencies, activities, period, hours, assessors, trainings,
    # structure identity), compiled at proposal and frozen at signature.
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    omit_insertion_word: Mapped[bool] = mapped_column(Boolean, default=False)
    proposed_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signed_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    signed_at: Mapped[datetime | None] = timestamp()
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_place: Mapped[str | None] = mapped_column(String(120))
    # Unique across every structure: the public page finds an attestation by it alone.
    verification_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = timestamp()
    revoked_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    revocation_motif: Mapped[str | None] = mapped_column(Text)
    # Its retention ended (siae_app.privacy): content and PDF erased, the public page says so.
    expired_on: Mapped[date | None] = mapped_column(Date)
    # Its bit in the structure's revocation list (W3C Bitstring Status List), given once,
    # at signature (or at the first badge of an attestation signed before it existed).
    status_index: Mapped[int | None] = mapped_column(Integer)

    assessment: Mapped[Assessment | None] = relationship()
    proposed_by: Mapped[Membership | None] = relationship(foreign_keys=[proposed_by_id])
    signed_by: Mapped[Membership | None] = relationship(foreign_keys=[signed_by_id])
    revoked_by: Mapped[Membership | None] = relationship(foreign_keys=[revoked_by_id])


class AttestationBatch(TenantRecord):
    """A ZIP of signed attestations built by a background job (RQ, or inline)."""

    __tablename__ = "attestation_batches"

    requested_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    label: Mapped[str] = mapped_column(String(200))
    attestation_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[BatchStatus] = status_column(BatchStatus, BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = timestamp()
    archive: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    requested_by: Mapped[Membership | None] = relationship()
