"""Coverage of a titre's blocks: per salarié (« couverture »), and across salariés for the
CIP (who is close to a complete block)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, g, request
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.evaluations import bp
from siae_app.blueprints.forms_common import uuid_or_none
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.extensions import db
from siae_app.models import Block, Employee, Framework, Team
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.certification import coverage as service


def _id_arg(name: str) -> uuid.UUID | None:
    """A uuid from the query string; a malformed one finds nothing (404)."""
    raw = request.args.get(name)
    found = uuid_or_none(raw)
    if raw and found is None:
        abort(404)
    return found


# « Proche » from this share of a block's competencies acquired: the CIP picks one of these.
THRESHOLDS = (50, 60, 75, 90)


def _threshold() -> int:
    """The percentage asked by ``?seuil=``; anything else is the default (the first)."""
    raw = request.args.get("seuil", "")
    return int(raw) if raw.isdigit() and int(raw) in THRESHOLDS else THRESHOLDS[0]


def _frameworks() -> list[Framework]:
    """The structure's live frameworks that have blocks, the REAC first."""
    with_blocks = select(Block.framework_id).where(Block.is_archived.is_(False))
    return list(
        db.session.scalars(
            select(Framework)
            .where(Framework.is_archived.is_(False), Framework.id.in_(with_blocks))
            .order_by(Framework.source != "reac", Framework.title, Framework.version_number)
        )
    )


def _chosen(frameworks: list[Framework]) -> Framework | None:
    """The framework asked by ``?referentiel=`` (404 when not one of ``frameworks``), or by
    default the first one (a REAC when there is one)."""
    wanted = _id_arg("referentiel")
    if wanted is None:
        return frameworks[0] if frameworks else None
    for framework in frameworks:
        if framework.id == wanted:
            return framework
    abort(404)


@bp.get("/salaries/<uuid:employee_id>/couverture")
@require(Perm.EVALUATIONS_VIEW)
def employee_coverage(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    frameworks = _frameworks()
    framework = _chosen(frameworks)
    found = service.coverage(db.session, employee, framework) if framework else None
    return render(
        "evaluations/coverage.html",
        employee=employee,
        frameworks=frameworks,
        framework=framework,
        coverage=found,
    )


@bp.get("/couverture")
@require(Perm.EVALUATIONS_VIEW)
def coverage():
    frameworks = _frameworks()
    framework = _chosen(frameworks)
    live_teams = scopes.teams(g.membership).where(Team.is_archived.is_(False))
    teams = list(db.session.scalars(live_teams.order_by(Team.name)))
    team_id = _id_arg("equipe")
    if team_id is not None and team_id not in {t.id for t in teams}:
        abort(404)
    stmt = scopes.employees(g.membership).where(
        or_(Employee.exit_date.is_(None), Employee.exit_date > date.today())
    )
    if team_id is not None:
        stmt = stmt.where(Employee.team_id == team_id)
    employees = db.session.scalars(stmt.options(selectinload(Employee.team))).all()
    threshold = _threshold()
    rows = (
        service.close_to_a_block(db.session, framework, employees, threshold / 100)
        if framework
        else []
    )
    only_close = request.args.get("proches") == "1"
    if only_close:
        rows = [row for row in rows if row.is_close or row.is_complete]
    return render(
        "evaluations/coverage_list.html",
        frameworks=frameworks,
        framework=framework,
        teams=teams,
        team_id=team_id,
        rows=rows,
        threshold=threshold,
        thresholds=THRESHOLDS,
        only_close=only_close,
    )
