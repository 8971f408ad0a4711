"""Situations urgentes from URL ids: 404 outside those the membership handles (coordination:
all; a CIP: those of the salariés they are référent of)."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.extensions import db
from siae_app.models.urgent import UrgentSituation
from siae_app.services import urgent as service


def situation(urgent_id: uuid.UUID) -> UrgentSituation:
    stmt = service.visible(g.membership).where(UrgentSituation.id == urgent_id)
    return db.first_or_404(stmt)
