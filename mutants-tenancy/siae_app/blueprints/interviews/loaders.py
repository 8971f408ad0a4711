"""Entretiens from URL ids: 404 outside the tenant or the scope."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.extensions import db
from siae_app.models import Interview
from siae_app.permissions import scopes


def interview(interview_id: uuid.UUID) -> Interview:
    stmt = scopes.employee_rows(g.membership, Interview)
    return db.first_or_404(stmt.where(Interview.id == interview_id))
