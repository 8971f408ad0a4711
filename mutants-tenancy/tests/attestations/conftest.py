"""Helpers of the attestations tests."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def base(world):
    return f"/s/{world.a.slug}/attestations"
