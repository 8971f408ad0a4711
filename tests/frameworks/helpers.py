"""Shared helpers for the framework tests."""

from __future__ import annotations

import io
from pathlib import Path

REAC_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "reac-eti-tp-00448.txt"


def reac_bytes() -> bytes:
    assert REAC_PATH.is_file(), f"REAC de référence introuvable : {REAC_PATH}"
    return REAC_PATH.read_bytes()


def upload(client, slug: str, filename: str, data: bytes):
    return client.post(
        f"/s/{slug}/referentiels/importer",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
