"""Shared helpers for the framework tests."""

from __future__ import annotations

import io
from pathlib import Path


def _find_reac() -> Path:
    """shared/ sits beside the checkout (main or a worktree one level deeper)."""
    relative = Path("shared") / "reference" / "reac-eti-tp-00448.txt"
    for parent in Path(__file__).resolve().parents[2:]:
        if (parent / relative).is_file():
            return parent / relative
    return Path(__file__).resolve().parents[3] / relative


REAC_PATH = _find_reac()


def reac_bytes() -> bytes:
    assert REAC_PATH.is_file(), f"REAC de référence introuvable : {REAC_PATH}"
    return REAC_PATH.read_bytes()


def newer_reac_bytes() -> bytes:
    """The same REAC with another millésime and other dates: a real new version."""
    text = reac_bytes().decode("utf-8")
    return text.replace(" 06 14/10/2024 14/10/2024", " 07 14/10/2025 14/10/2025").encode()


def confirm(client, slug: str, preview_location: str):
    draft_id = preview_location.rstrip("/").split("/")[-1]
    return client.post(f"/s/{slug}/referentiels/importer/{draft_id}/confirmer")


def upload(client, slug: str, filename: str, data: bytes):
    return client.post(
        f"/s/{slug}/referentiels/importer",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
