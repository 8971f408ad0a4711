"""Competencies from URL ids: 404 outside the tenant (the salarié: ``blueprints/loaders.py``)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Competency


def competency(competency_id: uuid.UUID) -> Competency:
    return db.first_or_404(select(Competency).where(Competency.id == competency_id))
