"""Batch export: the signed attestations of the salariés who left in a date range, as one ZIP.

``create`` records what to export; ``build`` (run by a background job, or inline without
Redis) writes the archive, reporting its progress on the batch row as it goes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from siae_app.models import AttestationStatus, BatchStatus, Employee, Membership
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.services import ServiceError
from siae_app.services.attestations.signing import grouped

CHUNK = 20  # attestations loaded (and progress reported) at a time


def eligible_ids(session: Session, exit_from: date, exit_to: date, employees_stmt=None) -> list:
    visible = (employees_stmt if employees_stmt is not None else select(Employee)).where(
        Employee.exit_date >= exit_from, Employee.exit_date <= exit_to
    )
    employee_ids = visible.with_only_columns(Employee.id)
    return list(
        session.scalars(
            select(Attestation.id)
            .join(Employee, Employee.id == Attestation.employee_id)
            .where(
                Attestation.status == AttestationStatus.SIGNED,
                Attestation.employee_id.in_(employee_ids),
            )
            .order_by(Employee.last_name, Employee.first_name, Attestation.signed_at)
        )
    )


def create(
    session: Session,
    membership: Membership,
    *,
    exit_from: date,
    exit_to: date,
    employees_stmt=None,
) -> AttestationBatch:
    if exit_to < exit_from:
        raise ServiceError("La date de fin doit suivre la date de début.", "exit_to")
    ids = eligible_ids(session, exit_from, exit_to, employees_stmt)
    if not ids:
        raise ServiceError(
            "Aucune attestation signée pour des salariés sortis sur cette période.", "exit_from"
        )
    batch = AttestationBatch(
        structure_id=membership.structure_id,
        requested_by_id=membership.id,
        label=f"Sorties du {exit_from:%d/%m/%Y} au {exit_to:%d/%m/%Y}",
        attestation_ids=[str(i) for i in ids],
        status=BatchStatus.QUEUED,
        total=len(ids),
        done=0,
    )
    session.add(batch)
    session.flush()
    return batch


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "salarie"


def entry_name(attestation: Attestation) -> str:
    holder = (attestation.content or {}).get("holder", {})
    who = _slug(f"{holder.get('last_name', '')} {holder.get('first_name', '')}")
    return f"attestation-{who}-{grouped(attestation.verification_code)}.pdf"


def _chunks(ids: list[str]):
    for start in range(0, len(ids), CHUNK):
        yield [uuid.UUID(i) for i in ids[start : start + CHUNK]]


def build(
    session: Session, batch: AttestationBatch, on_progress: Callable[[], None] | None = None
) -> AttestationBatch:
    batch.status, batch.done, batch.error = BatchStatus.RUNNING, 0, None
    session.flush()
    if on_progress:
        on_progress()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for ids in _chunks(batch.attestation_ids):
            rows = session.scalars(
                select(Attestation).options(undefer(Attestation.pdf)).where(Attestation.id.in_(ids))
            ).all()
            for attestation in rows:
                if attestation.pdf:
                    archive.writestr(entry_name(attestation), attestation.pdf)
                session.expunge(attestation)  # the PDF bytes leave memory with it
            batch.done += len(ids)
            session.flush()
            if on_progress:
                on_progress()
    batch.archive = buffer.getvalue()
    batch.status = BatchStatus.DONE
    batch.finished_at = datetime.now(UTC)
    session.flush()
    return batch


def fail(session: Session, batch: AttestationBatch) -> None:
    batch.status = BatchStatus.FAILED
    batch.error = "La préparation de l'archive a échoué ; relancez l'export."
    batch.finished_at = datetime.now(UTC)
    session.flush()
