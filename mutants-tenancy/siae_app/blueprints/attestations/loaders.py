"""Attestations and batches from URL ids: 404 outside the tenant or the scope."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.permissions import scopes


def attestation(attestation_id: uuid.UUID) -> Attestation:
    stmt = scopes.employee_rows(g.membership, Attestation)
    return db.first_or_404(stmt.where(Attestation.id == attestation_id))


def batch(batch_id: uuid.UUID) -> AttestationBatch:
    return db.first_or_404(select(AttestationBatch).where(AttestationBatch.id == batch_id))
