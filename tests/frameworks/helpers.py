"""Shared helpers for the framework tests."""

from __future__ import annotations

import io

# The REAC of the titre professionnel Encadrant technique d'insertion (TP-00448), as text
# extracted from its PDF: the first real document the importer reads. Kept in the repository
# (a clone has nothing beside it), beside the demo that imports it too.
from siae_app.demo.certification import REAC_ETI  # noqa: E402


def reac_bytes() -> bytes:
    return REAC_ETI.read_bytes()


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
