"""Bilans, and the validated assessments a bilan reads (built directly on the models)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factory

from siae_app.extensions import db
from siae_app.models import ReviewStatus
from siae_app.models.evaluations import Assessment, AssessmentItem
from siae_app.models.reviews import Review
from tests.factories.base import BaseFactory


class ReviewFactory(BaseFactory):
    class Meta:
        model = Review

    structure_id = None
    employee_id = None
    kind = "intermediate"
    status = ReviewStatus.DRAFT
    due_on = factory.LazyFunction(date.today)
    period_start = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    period_end = factory.LazyFunction(date.today)
    compiled = factory.LazyFunction(dict)
    needs = factory.LazyFunction(dict)


def make_levelled_assessment(
    employee, on: date, levels: list[tuple[str, str | None, int | None]], **kw
):
    """A validated (locked) assessment of ``employee``: (label, level label, rank) items."""
    assessment = Assessment(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        grid_name=kw.pop("grid_name", "Grille espaces verts"),
        kind=kw.pop("kind", "intermediate"),
        assessed_on=on,
        locked_at=kw.pop("locked_at", datetime.now(UTC)),
        **kw,
    )
    assessment.items = [
        AssessmentItem(
            structure_id=employee.structure_id,
            position=i,
            label=label,
            level_label=level,
            level_rank=rank,
        )
        for i, (label, level, rank) in enumerate(levels)
    ]
    db.session.add(assessment)
    db.session.commit()
    return assessment
