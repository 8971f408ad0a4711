"""Actions from URL ids: 404 outside the tenant or the membership's scope."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Action
from siae_app.permissions import scopes


def action(action_id: uuid.UUID) -> Action:
    stmt = scopes.employee_rows(g.membership, Action).options(
        selectinload(Action.employee), selectinload(Action.partner)
    )
    return db.first_or_404(stmt.where(Action.id == action_id))
