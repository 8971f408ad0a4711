"""Demo evaluations (synthetic): a grid per activité support built from its frameworks; for
several salariés a validated positionnement initial and a validated intermediate assessment
(with comments), objectifs de progression reported on by it, séances d'apprentissage (one held
and evaluated, one planned), and one assessment still being filled in.

Idempotent: nothing is added to a structure that already has a grid.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Activity,
    Competency,
    Employee,
    Grid,
    LearningStatus,
    Membership,
    Role,
    Structure,
    Team,
    TeamSupervisor,
)
from siae_app.services.evaluations import assessments, goals, grids, learning

PER_FRAMEWORK = 4  # competencies of each framework put in the demo grids
SALARIES_PER_TEAM = 3
# Level codes given at the initial and at the intermediate assessment, cycled over lines.
INITIAL = ["NA", "ECA", None, "ECA"]
INTERMEDIATE = ["ECA", "A", "ECA", "M"]
COMMENTS = [
    "Applique les consignes quand on les lui rappelle ; à consolider seul.",
    "Prend des initiatives à bon escient, explique ses choix à l'équipe.",
    "Progrès nets depuis l'arrivée : plus régulier dans les gestes.",
]
SITUATIONS = [
    "Préparer son poste et vérifier les équipements de protection avant de démarrer.",
    "Expliquer à un nouvel arrivant comment ranger le matériel en fin de journée.",
]
REFLECTION = (
    "Le salarié a raconté les étapes dans l'ordre, repéré l'oubli des gants au démarrage "
    "et proposé une liste à afficher dans le camion."
)


def _grid(session: Session, activity: Activity) -> Grid | None:
    frameworks = session.scalars(grids.activity_frameworks(activity.id)).all()
    ids = []
    for framework in frameworks:
        ids += session.scalars(
            select(Competency.id)
            .where(Competency.framework_id == framework.id, Competency.is_archived.is_(False))
            .order_by(Competency.position)
            .limit(PER_FRAMEWORK)
        ).all()
    if not ids:
        return None
    grid = grids.save_grid(
        session,
        None,
        name=f"Positionnement {activity.name.lower()}",
        description="Savoir-être et gestes professionnels observés sur le chantier.",
        activity_id=activity.id,
    )
    grids.add_competencies(session, grid, ids)
    return grid


def _levels(grid: Grid, codes: list[str | None]):
    by_code = {lv.code: lv for lv in grid.scale.levels}
    return [by_code.get(c) if c else None for c in codes]


def _fill(session: Session, assessment, codes, with_comments: bool) -> None:
    nothing = assessments.no_observations()  # no evidence in the demo lines
    for n, item in enumerate(assessment.items):
        level = _levels(assessment.grid, [codes[n % len(codes)]])[0]
        comment = COMMENTS[n % len(COMMENTS)] if with_comments and n < 3 else None
        assessments.set_item(
            session,
            item,
            assessments.ItemAnswer(level_id=level.id if level else None, comment=comment),
            visible=nothing,
        )


def _assess(session, eti, cip, employee, grid, *, kind, on, codes, validate=True):
    assessment = assessments.start(session, eti, employee, grid, kind=kind, assessed_on=on)
    _fill(session, assessment, codes, with_comments=kind != "initial")
    if validate:
        assessments.mark_seen(session, assessment, eti)
        assessments.validate_eti(session, assessment, eti)
        assessments.validate_cip(session, assessment, cip)
    return assessment


def _salarie(session, eti, cip, employee, grid, today: date, index: int) -> None:
    assess = partial(_assess, session, eti, cip, employee, grid)
    plan = partial(learning.plan, session, eti, employee)
    assess(kind="initial", on=today - timedelta(days=90), codes=INITIAL)
    competencies = [i.competency for i in grid.items[:2]]
    target = _levels(grid, ["A"])[0]
    for competency in competencies:
        goals.create(
            session,
            eti,
            employee,
            competency=competency,
            label=None,
            target_level=target,
            due_on=today + timedelta(days=45),
        )
    held = plan(
        competency=competencies[0],
        work_situation=SITUATIONS[0],
        planned_on=today - timedelta(days=10),
    )
    last = index == SALARIES_PER_TEAM - 1
    intermediate = assess(
        kind="intermediate", on=today - timedelta(days=3), codes=INTERMEDIATE, validate=not last
    )
    learning.update(
        session, held, learning.SeanceUpdate(LearningStatus.HELD, REFLECTION, intermediate)
    )
    plan(
        competency=competencies[1],
        work_situation=SITUATIONS[1],
        planned_on=today + timedelta(days=7),
    )


def load_demo_evaluations(session: Session, structure: Structure) -> None:
    """Grids, assessments, goals and séances for the structure active in ``session``."""
    if session.scalar(select(Grid.id).limit(1)) is not None:
        return
    members = session.scalars(select(Membership).order_by(Membership.created_at)).all()
    cip = next((m for m in members if Role.CIP in m.role_set), None)
    today = date.today()
    for activity in session.scalars(select(Activity).order_by(Activity.name)):
        grid = _grid(session, activity)
        if grid is None or cip is None:
            continue
        for team in session.scalars(select(Team).where(Team.activity_id == activity.id)):
            eti = session.scalar(
                select(Membership)
                .join(TeamSupervisor, TeamSupervisor.membership_id == Membership.id)
                .where(TeamSupervisor.team_id == team.id)
                .limit(1)
            )
            employees = session.scalars(
                select(Employee)
                .where(Employee.team_id == team.id, Employee.exit_date.is_(None))
                .order_by(Employee.last_name, Employee.first_name)
                .limit(SALARIES_PER_TEAM)
            ).all()
            for index, employee in enumerate(employees if eti else []):
                _salarie(session, eti, cip, employee, grid, today, index)
    session.flush()
