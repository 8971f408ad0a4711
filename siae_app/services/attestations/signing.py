"""Signing by the direction: the content is frozen, the PDF rendered once and stored with its
SHA-256, and a verification code links the paper to the public page. Revocation keeps the
document and says so on the public page."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import AttestationStatus, Membership, Structure
from siae_app.models.attestations import Attestation
from siae_app.services import ServiceError, structure_identity
from siae_app.services.attestations.compose import without_insertion
from siae_app.services.pdf import render_pdf

# The revocation list's size in bits (W3C Bitstring Status List: 131,072 at least, so that
# one bit says nothing about whom it stands for). Indexes are drawn at random below it.
STATUS_LIST_BITS = 131_072

# No 0/O, 1/I/L: a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 15  # 31^15 ≈ 2^74: not guessable, even at the public page's rate limit
CODE_GROUP = 5


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str | None) -> str:
    if not code:
        return ""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalize(typed: str | None) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored code."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())[:32]


def verification_url(code: str) -> str:
    if has_request_context():
        return url_for("public.verify", code=grouped(code), _external=True)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    return f"{base.rstrip('/')}/verifier/{grouped(code)}"


def _scrubbed(value):
    if isinstance(value, str):
        return without_insertion(value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    return value


def document(attestation: Attestation) -> dict:
    """The content as every rendering shows it (without « insertion » when asked)."""
    content = attestation.content or {}
    return _scrubbed(content) if attestation.omit_insertion_word else content


def render(attestation: Attestation, structure: Structure, *, draft: bool = False) -> bytes:
    doc = document(attestation)
    code = attestation.verification_code
    qr_url = None
    if code:
        import segno

        qr_url = segno.make(verification_url(code), error="m").png_data_uri(scale=4, border=2)
    logo_url = structure_identity.logo_url(structure)
    return render_pdf(
        "pdf/attestation.html",
        doc=doc,
        attestation=attestation,
        structure={"name": doc.get("structure", {}).get("name", structure.name)},
        identity=doc.get("structure", {}),
        title="Attestation de compétences",
        logo_url=logo_url,
        qr_url=qr_url,
        code=grouped(code),
        verify_url=verification_url(code) if code else None,
        copy_label="Projet non signé" if draft else "",
    )


def sign(
    session: Session,
    attestation: Attestation,
    membership: Membership,
    structure: Structure,
    *,
    signer_name: str,
    signed_on: date,
    signed_place: str,
) -> Attestation:
    if not attestation.status.may_become(AttestationStatus.SIGNED):
        raise ServiceError("Cette attestation est déjà signée : son contenu est figé.")
    if signed_on > date.today():
        raise ServiceError("La date de signature ne peut pas être dans le futur.", "signed_on")
    attestation.signer_name = signer_name
    attestation.signed_on = signed_on
    attestation.signed_place = signed_place
    attestation.signed_by_id = membership.id
    attestation.signed_at = datetime.now(UTC)
    attestation.verification_code = new_code()
    attestation.status = AttestationStatus.SIGNED
    pdf = render(attestation, structure)
    attestation.pdf = pdf
    attestation.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    session.flush()
    allocate_status_index(session, attestation)
    return attestation


def allocate_status_index(session: Session, attestation: Attestation) -> int:
    """The attestation's bit in its structure's revocation list, drawn once, at random among
    the free ones (a sequential index would tell how many badges the structure issued)."""
    if attestation.status_index is None:
        taken = set(
            session.scalars(
                select(Attestation.status_index).where(
                    Attestation.structure_id == attestation.structure_id,
                    Attestation.status_index.is_not(None),
                )
            )
        )
        if len(taken) >= STATUS_LIST_BITS:
            raise ServiceError("La liste de révocation de la structure est pleine.")
        index = secrets.randbelow(STATUS_LIST_BITS)
        while index in taken:
            index = secrets.randbelow(STATUS_LIST_BITS)
        attestation.status_index = index
        session.flush()
    return attestation.status_index


def revoke(
    session: Session, attestation: Attestation, membership: Membership, *, motif: str
) -> Attestation:
    if not attestation.status.may_become(AttestationStatus.REVOKED):
        raise ServiceError("Seule une attestation signée et non révoquée peut être révoquée.")
    attestation.status = AttestationStatus.REVOKED
    attestation.revoked_at = datetime.now(UTC)
    attestation.revoked_by_id = membership.id
    attestation.revocation_motif = motif
    session.flush()
    return attestation
