"""Partners from URL ids: 404 outside the tenant."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Partner


def partner(partner_id: uuid.UUID) -> Partner:
    stmt = select(Partner).options(selectinload(Partner.contacts))
    return db.first_or_404(stmt.where(Partner.id == partner_id))
