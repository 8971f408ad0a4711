"""Signed badges: an attestation's Open Badges 3.0 credential secured with VC-JOSE.

- **Format** (W3C « Securing Verifiable Credentials using JOSE and COSE »): a compact JWS whose
  payload is the credential JSON itself, protected header ``{"alg": "EdDSA", "typ": "vc+jwt",
  "cty": "vc", "kid": "<did>#key-<n>"}``; media type ``application/vc+jwt``.
- **Keys**: one Ed25519 key pair per structure at a time (``CredentialKey``), created at the
  structure's first badge; ``rotate`` retires it and creates the next number. The private key
  is stored as a Fernet token whose key is derived (HKDF-SHA256) from ``CREDENTIAL_KEYS_SECRET``,
  else from ``SECRET_KEY``.
- **Issuer**: ``did:web:<host>:emetteurs:<slug>``, resolved at ``/emetteurs/<slug>/did.json``
  (every key, active and retired).
- **Revocation**: W3C Bitstring Status List; the structure's list is a credential too, signed
  by the same key, built from its revoked attestations in one query.
- **Verification** (``check``): the key comes from this database, never over HTTP.

joserfc signs and verifies; ``cryptography`` generates the keys and encrypts them at rest.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, has_request_context, request
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import AttestationStatus, Structure
from siae_app.models.attestations import Attestation
from siae_app.models.credentials import CredentialKey
from siae_app.services.attestations import badges
from siae_app.services.attestations.signing import STATUS_LIST_BITS, allocate_status_index
from siae_app.tenancy.lookup import structure_by_slug

ALG = "EdDSA"
MEDIA_TYPE = "application/vc+jwt"
MAX_TOKEN_BYTES = 64 * 1024
_HKDF_INFO = b"parcours-siae/credential-keys/v1"
_KID = re.compile(r"key-([1-9][0-9]{0,5})")


# ------------------------------------------------------------------ keys, encrypted at rest


def _fernet() -> Fernet:
    secret = current_app.config.get("CREDENTIAL_KEYS_SECRET") or (
        "credential-keys:" + current_app.config["SECRET_KEY"]
    )
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _create_key(session: Session, structure_id, number: int) -> CredentialKey:
    private = Ed25519PrivateKey.generate()
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = OKPKey.import_key(der).as_dict(private=False)
    key = CredentialKey(
        structure_id=structure_id,
        number=number,
        public_jwk={"kty": public["kty"], "crv": public["crv"], "x": public["x"]},
        private_key_encrypted=_fernet().encrypt(der).decode("ascii"),
    )
    session.add(key)
    session.flush()
    return key


def _private(key: CredentialKey) -> OKPKey:
    return OKPKey.import_key(_fernet().decrypt(key.private_key_encrypted.encode("ascii")))


def keys_of(session: Session, structure_id) -> list[CredentialKey]:
    return list(
        session.scalars(
            select(CredentialKey)
            .where(CredentialKey.structure_id == structure_id)
            .order_by(CredentialKey.number)
        )
    )


def current_key(session: Session, structure_id) -> CredentialKey | None:
    return session.scalar(
        select(CredentialKey)
        .where(CredentialKey.structure_id == structure_id, CredentialKey.retired_at.is_(None))
        .order_by(CredentialKey.number.desc())
        .limit(1)
    )


def active_key(session: Session, structure_id) -> CredentialKey:
    """The key that signs now; created at the structure's first badge."""
    key = current_key(session, structure_id)
    if key is None:
        last = session.scalar(
            select(func.max(CredentialKey.number)).where(CredentialKey.structure_id == structure_id)
        )
        key = _create_key(session, structure_id, (last or 0) + 1)
    return key


def rotate(session: Session, structure_id) -> CredentialKey:
    """Retire the active key (it stays published: what it signed still verifies) and create
    the next one."""
    now = datetime.now(UTC)
    for key in keys_of(session, structure_id):
        if key.retired_at is None:
            key.retired_at = now
    session.flush()
    last = session.scalar(
        select(func.max(CredentialKey.number)).where(CredentialKey.structure_id == structure_id)
    )
    return _create_key(session, structure_id, (last or 0) + 1)


# ------------------------------------------------------------------ identities and addresses


def _base_url() -> str:
    """The site's public address (PUBLIC_BASE_URL, required in production), so that a badge
    names the same issuer whatever host name the request came by; else the request's."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def _host() -> str:
    return urlsplit(_base_url()).netloc.replace(":", "%3A")  # did:web: a port percent-encoded


def issuer_did(slug: str) -> str:
    return f"did:web:{_host()}:emetteurs:{slug}"


def key_id(slug: str, number: int) -> str:
    return f"{issuer_did(slug)}#key-{number}"


def status_list_url(slug: str) -> str:
    return f"{_base_url()}/emetteurs/{slug}/statuts/revocation"


def did_document(session: Session, structure: Structure) -> dict:
    did = issuer_did(structure.slug)
    methods = [
        {
            "id": f"{did}#key-{key.number}",
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": key.public_jwk,
        }
        for key in keys_of(session, structure.id)
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


# ------------------------------------------------------------------ signing


def _sign(payload: dict, key: CredentialKey, slug: str) -> str:
    header = {"alg": ALG, "typ": "vc+jwt", "cty": "vc", "kid": key_id(slug, key.number)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    with warnings.catch_warnings():
        # RFC 9864 deprecates the name "EdDSA" for "Ed25519"; VC-JOSE verifiers expect it.
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, body, _private(key), algorithms=[ALG])


def status_entry(slug: str, index: int) -> dict:
    url = status_list_url(slug)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def signed_credential(session: Session, attestation: Attestation, structure: Structure) -> str:
    """The attestation's badge as a ``vc+jwt``, signed by the structure's active key."""
    index = allocate_status_index(session, attestation)
    key = active_key(session, structure.id)
    payload = badges.credential(
        attestation,
        issuer_id=issuer_did(structure.slug),
        status=status_entry(structure.slug, index),
    )
    return _sign(payload, key, structure.slug)


def revoked_indexes(session: Session, structure_id) -> set[int]:
    return set(
        session.scalars(
            select(Attestation.status_index).where(
                Attestation.structure_id == structure_id,
                Attestation.status == AttestationStatus.REVOKED,
                Attestation.status_index.is_not(None),
            )
        )
    )


def encoded_list(indexes: set[int]) -> str:
    """Multibase base64url (``u``, no padding) of the GZIP of the bitstring; index 0 is the
    most significant bit of the first byte."""
    size = max(STATUS_LIST_BITS, (max(indexes, default=0) // 8 + 1) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def status_list_credential(session: Session, structure: Structure) -> str | None:
    """The structure's revocation list, signed as ``vc+jwt``; None before its first badge
    (no key yet, and no badge that points to the list)."""
    key = current_key(session, structure.id)
    if key is None:
        return None
    url = status_list_url(structure.slug)
    payload = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(structure.slug),
        "validFrom": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "id": f"{url}#liste",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes(session, structure.id)),
        },
    }
    return _sign(payload, key, structure.slug)


# ------------------------------------------------------------------ verification


@dataclass
class BadgeCheck:
    """What /verifier/badge says of a pasted badge."""

    outcome: str  # "valid", "revoked", "invalid", "unreadable"
    structure: str = ""
    issued_on: date | None = None
    holder: str = ""
    competencies: list[str] = field(default_factory=list)
    key_number: int | None = None
    revoked_on: date | None = None


def _issued_on(payload: dict) -> date | None:
    try:
        return datetime.fromisoformat(payload.get("validFrom") or "").date()
    except (TypeError, ValueError):
        return None


def _issuer_id(payload: dict) -> str | None:
    issuer = payload.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _competencies(payload: dict) -> list[str]:
    achievement = (payload.get("credentialSubject") or {}).get("achievement") or {}
    return [a.get("targetName", "") for a in achievement.get("alignment") or []]


def _holder(payload: dict) -> str:
    ids = (payload.get("credentialSubject") or {}).get("identifier") or [{}]
    return str(ids[0].get("identityHash", ""))


def _header(token: str) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dict(jws.extract_compact(token.encode("ascii")).protected)
    except (JoseError, ValueError, UnicodeError, TypeError):
        return None


def _issuer_of(kid: str) -> tuple[str, int] | None:
    """(slug, key number) of a kid naming one of this platform's issuers, else None."""
    did, _, fragment = kid.partition("#")
    prefix = f"did:web:{_host()}:emetteurs:"
    number = _KID.fullmatch(fragment)
    if not did.startswith(prefix) or number is None:
        return None
    return did.removeprefix(prefix), int(number.group(1))


def _payload(token: str, key: CredentialKey) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = jws.deserialize_compact(
                token, OKPKey.import_key(key.public_jwk), algorithms=[ALG]
            )
        payload = json.loads(found.payload)
    except (JoseError, ValueError, UnicodeError):
        return None
    return payload if isinstance(payload, dict) else None


def _status_index(payload: dict, slug: str) -> int | None:
    entry = payload.get("credentialStatus") or {}
    if not isinstance(entry, dict) or entry.get("statusListCredential") != status_list_url(slug):
        return None
    raw = str(entry.get("statusListIndex", ""))
    return int(raw) if raw.isdigit() else None


def check(session: Session, token: str) -> BadgeCheck:
    """Verify a pasted ``vc+jwt`` against the issuer's key in this database, then its bit in
    the issuer's revocation list."""
    token = "".join(token.split())
    header = _header(token) if token.count(".") == 2 else None
    if header is None:
        return BadgeCheck("unreadable")
    named = _issuer_of(str(header.get("kid", "")))
    if header.get("alg") != ALG or header.get("typ") != "vc+jwt" or named is None:
        return BadgeCheck("invalid")
    slug, number = named
    structure = structure_by_slug(session, slug)
    if structure is None:
        return BadgeCheck("invalid")
    with tenancy.tenant_scope(session, structure.id):
        key = session.scalar(
            select(CredentialKey).where(
                CredentialKey.structure_id == structure.id, CredentialKey.number == number
            )
        )
        payload = _payload(token, key) if key is not None else None
        if payload is None or _issuer_id(payload) != issuer_did(slug):
            return BadgeCheck("invalid", structure=structure.name)
        result = BadgeCheck(
            "valid",
            structure=structure.name,
            issued_on=_issued_on(payload),
            holder=_holder(payload),
            competencies=_competencies(payload),
            key_number=number,
        )
        index = _status_index(payload, slug)
        if index is None:
            return BadgeCheck("invalid", structure=structure.name)
        if index in revoked_indexes(session, structure.id):
            revoked_at = session.scalar(
                select(Attestation.revoked_at).where(
                    Attestation.structure_id == structure.id, Attestation.status_index == index
                )
            )
            result.outcome = "revoked"
            result.revoked_on = revoked_at.date() if revoked_at else None
    return result
