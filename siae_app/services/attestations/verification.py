"""The public verification page's one read: an attestation by its code, in any structure.

On PostgreSQL the application's role sees one structure at most, so the code is first
resolved by ``app_attestation_by_code(code)``, a SECURITY DEFINER function that returns only
(structure_id, attestation_id) of a signed attestation; that structure's tenant is then
activated to load it under row-level security. On SQLite a plain query in system scope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models.attestations import Attestation
from siae_app.models.statuses import AttestationStatus
from siae_app.models.structures import Structure
from siae_app.services.attestations import credentials
from siae_app.services.attestations.signing import document, grouped, normalize

_BY_CODE_SQL = text("SELECT structure_id, attestation_id FROM app_attestation_by_code(:code)")


@dataclass(frozen=True)
class PublicAttestation:
    """Exactly what the public page shows, and nothing else."""

    holder: str
    titles: list[str]
    competencies: list[str]
    structure: str
    signed_on: object
    revoked: bool
    code: str
    # Its retention ended: the structure keeps only that it signed it (siae_app.privacy).
    expired: bool = False
    # The key that signs the structure's badges now (None before its first badge).
    key_number: int | None = None


def _locate(session: Session, code: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(_BY_CODE_SQL, {"code": code}).first()
    else:
        with tenancy.system_scope(session):
            row = session.execute(
                select(Attestation.structure_id, Attestation.id).where(
                    Attestation.verification_code == code, Attestation.signed_at.is_not(None)
                )
            ).first()
    return (row[0], row[1]) if row else None


def lookup(session: Session, typed_code: str) -> PublicAttestation | None:
    code = normalize(typed_code)
    if not code:
        return None
    found = _locate(session, code)
    if found is None:
        return None
    structure_id, attestation_id = found
    with tenancy.tenant_scope(session, structure_id):
        attestation = session.get(Attestation, attestation_id)
        if attestation is None or attestation.signed_at is None:
            return None
        if attestation.expired_on is not None:
            structure = session.get(Structure, structure_id)
            return PublicAttestation(
                holder="",
                titles=[],
                competencies=[],
                structure=structure.name if structure else "",
                signed_on=attestation.signed_on,
                revoked=attestation.status == AttestationStatus.REVOKED,
                code=grouped(code),
                expired=True,
            )
        doc = document(attestation)
        key = credentials.current_key(session, structure_id)
    holder = doc.get("holder", {})
    return PublicAttestation(
        holder=holder.get("name", ""),
        titles=list(doc.get("titles", [])),
        competencies=[c["label"] for c in doc.get("competencies", [])],
        structure=doc.get("structure", {}).get("name", ""),
        signed_on=attestation.signed_on,
        revoked=attestation.status == AttestationStatus.REVOKED,
        code=grouped(code),
        key_number=key.number if key is not None else None,
    )
