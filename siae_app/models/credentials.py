"""The keys a structure signs its badges with (Open Badges 3.0 as VC-JOSE, Ed25519).

One active key per structure (``retired_at`` empty), created at the structure's first badge;
``flask credentials rotate`` retires it and creates the next number. Retired keys stay
published in the structure's DID document, so the badges they signed still verify. The
private key is stored encrypted (Fernet, siae_app.services.attestations.credentials).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from siae_app.models.base import TenantRecord, one_per_structure, timestamp


class CredentialKey(TenantRecord):
    __tablename__ = "credential_keys"
    __table_args__ = one_per_structure("credential_keys", "number")

    number: Mapped[int] = mapped_column(Integer)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    # A Fernet token of the private key's PKCS#8 DER bytes: never the key in clear.
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = timestamp()
