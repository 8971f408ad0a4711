"""Grids, assessments, goals and séances, made through the services (in the structure's
tenant scope, as a request would)."""

from __future__ import annotations

from datetime import date, timedelta

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, Framework, Membership
from siae_app.services.evaluations import assessments, goals, grids, learning


def make_grid(
    framework: Framework,
    name: str = "Grille espaces verts",
    activity_id=None,
    with_criteria: bool = False,
    scale_id=None,
):
    """A grid with every competency of ``framework`` (in the framework's structure); on the
    default scale unless ``scale_id`` is given."""
    with tenancy.tenant_scope(db.session, framework.structure_id):
        grid = grids.save_grid(
            db.session, None, name=name, activity_id=activity_id, scale_id=scale_id
        )
        grids.add_competencies(
            db.session, grid, [c.id for c in framework.competencies], with_criteria=with_criteria
        )
    return grid


def levels_by_code(grid) -> dict:
    return {lv.code: lv for lv in grid.scale.levels}


def make_assessment(
    author: Membership,
    employee: Employee,
    grid,
    *,
    kind: str = "intermediate",
    codes: tuple | list = (),
    assessed_on: date | None = None,
    validated_by: tuple[Membership, Membership] | None = None,
):
    """An assessment; ``codes`` gives a level code per line (None: « non évalué »);
    ``validated_by`` = (ETI, CIP) sees it with the salarié and validates it (locked)."""
    with tenancy.tenant_scope(db.session, employee.structure_id):
        assessment = assessments.start(
            db.session,
            author,
            employee,
            grid,
            kind=kind,
            assessed_on=assessed_on or date.today(),
        )
        by_code = levels_by_code(grid) if codes else {}
        for item, code in zip(assessment.items, codes, strict=False):
            answer = assessments.ItemAnswer(level_id=by_code[code].id if code else None)
            assessments.set_item(db.session, item, answer, visible=assessments.no_observations())
        if validated_by:
            eti, cip = validated_by
            assessments.mark_seen(db.session, assessment, eti)
            assessments.validate_eti(db.session, assessment, eti)
            assessments.validate_cip(db.session, assessment, cip)
    return assessment


def make_goal(author: Membership, employee: Employee, competency, level, due_in_days=60):
    with tenancy.tenant_scope(db.session, employee.structure_id):
        return goals.create(
            db.session,
            author,
            employee,
            competency=competency,
            label=None,
            target_level=level,
            due_on=date.today() + timedelta(days=due_in_days),
        )


def make_seance(author: Membership, employee: Employee, competency, planned_on=None):
    with tenancy.tenant_scope(db.session, employee.structure_id):
        return learning.plan(
            db.session,
            author,
            employee,
            competency=competency,
            work_situation="Tailler une haie de charmilles au taille-haie.",
            planned_on=planned_on or date.today(),
        )
