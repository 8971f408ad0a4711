"""Bilans from URL ids: 404 outside the tenant or the membership's scope (an ETI finds only
the bilans of the salariés of the teams they supervise)."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Membership
from siae_app.models.reviews import Review, ReviewDisclosure
from siae_app.permissions import scopes


def review(review_id: uuid.UUID) -> Review:
    stmt = scopes.employee_rows(g.membership, Review).options(
        selectinload(Review.employee),
        selectinload(Review.participants),
        selectinload(Review.followups),
        selectinload(Review.highlights),
        selectinload(Review.disclosures)
        .selectinload(ReviewDisclosure.included_by)
        .selectinload(Membership.user),
        selectinload(Review.reopenings),
        selectinload(Review.validated_by).selectinload(Membership.user),
    )
    return db.first_or_404(stmt.where(Review.id == review_id))
