"""Evaluation objects from URL ids: 404 outside the tenant or the reader's scope (an ETI
reaches only the salariés of the teams they supervise)."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import (
    Assessment,
    AssessmentItem,
    Goal,
    Grid,
    GridItem,
    LearningSession,
)
from siae_app.permissions import scopes
from siae_app.services.evaluations.assessments import page_options


def grid(grid_id: uuid.UUID) -> Grid:
    return db.first_or_404(select(Grid).where(Grid.id == grid_id))


def grid_item(grid_obj: Grid, grid_item_id: uuid.UUID) -> GridItem:
    return db.first_or_404(
        select(GridItem).where(GridItem.id == grid_item_id, GridItem.grid_id == grid_obj.id)
    )


def assessment(assessment_id: uuid.UUID, *, full: bool = False) -> Assessment:
    stmt = scopes.employee_rows(g.membership, Assessment).where(Assessment.id == assessment_id)
    if full:
        stmt = stmt.options(*page_options())
    return db.first_or_404(stmt)


def assessment_item(assessment_obj: Assessment, item_id: uuid.UUID) -> AssessmentItem:
    return db.first_or_404(
        select(AssessmentItem).where(
            AssessmentItem.id == item_id, AssessmentItem.assessment_id == assessment_obj.id
        )
    )


def goal(goal_id: uuid.UUID) -> Goal:
    return db.first_or_404(scopes.employee_rows(g.membership, Goal).where(Goal.id == goal_id))


def seance(seance_id: uuid.UUID) -> LearningSession:
    stmt = scopes.employee_rows(g.membership, LearningSession)
    return db.first_or_404(stmt.where(LearningSession.id == seance_id))
