"""Frein, objectif, axis from URL ids: 404 outside the tenant or the membership's scope
(an ETI: other teams' salariés; anyone: a sensitive frein they may not read)."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import Barrier, BarrierAxis, PathwayObjective
from siae_app.permissions import scopes


def barrier(barrier_id: uuid.UUID) -> Barrier:
    stmt = scopes.barriers(g.membership).options(
        selectinload(Barrier.axis), selectinload(Barrier.employee)
    )
    return db.first_or_404(stmt.where(Barrier.id == barrier_id))


def axis(axis_id: uuid.UUID) -> BarrierAxis:
    return db.first_or_404(select(BarrierAxis).where(BarrierAxis.id == axis_id))


def objective(objective_id: uuid.UUID) -> PathwayObjective:
    """An objectif of a salarié in scope; one linked to a frein the reader may not see is
    not found either (it would reveal the frein)."""
    stmt = scopes.employee_rows(g.membership, PathwayObjective).where(
        PathwayObjective.id == objective_id
    )
    found = db.first_or_404(stmt)
    if found.barrier_id is not None:
        barrier(found.barrier_id)
    return found
