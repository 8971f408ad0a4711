"""Memberships of the structure from URL ids (404 outside the tenant)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Membership


def membership(membership_id: uuid.UUID) -> Membership:
    return db.first_or_404(select(Membership).where(Membership.id == membership_id))
