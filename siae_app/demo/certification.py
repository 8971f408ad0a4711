"""Demo: a salarié on the way to the titre Encadrant technique d'insertion (TP-00448).

The structure imports the real REAC (the text extracted from its PDF, kept beside this module)
through the same reader as « Référentiels », and one salarié in parcours has a validated
assessment on the first activité type:
3 of its 4 competencies acquired (75 %, « proche » of the CCP), a first competency of the
second one in progress, the third never evaluated. Two observations of the chantier cite
competencies of the first block as evidence; a sensitive one (the CIP's) cites the fourth and
must count for nothing. The CIP has chosen the evidence of the « dossier de preuves » (every
candidate: the two observations); the demo space « en parcours » is this salarié's, and the file
is offered there (siae_app/demo/personal_space.py).

Idempotent: nothing is added to a structure that already holds a REAC.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Block,
    Competency,
    Employee,
    Framework,
    Membership,
    Observation,
    ObservationCompetency,
    Role,
    Structure,
    TeamSupervisor,
)
from siae_app.services.certification import evidence
from siae_app.services.evaluations import assessments, grids
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.storage import save_parsed

REAC_ETI = Path(__file__).resolve().parent / "data" / "reac-eti-tp-00448.txt"
# Level codes of the default scale given to the first block's four competencies.
FIRST_BLOCK_LEVELS = ["A", "A", "M", "ECA"]
EVIDENCE = [
    (
        0,
        "A expliqué au client le déroulé du chantier de la semaine et noté ses demandes "
        "sur la fiche d'intervention.",
    ),
    (
        1,
        "A préparé seul le planning de l'équipe pour le chantier de clôture : matériel, "
        "ordre des tâches et temps prévu pour chacun.",
    ),
]
SENSITIVE = (
    3,
    "Évoque des tensions avec son ancien employeur ; à reprendre en entretien individuel.",
)


@cache
def _parsed_reac():
    return parse_reac_text(REAC_ETI.read_text(encoding="utf-8"))


def _candidate(session: Session) -> Employee | None:
    """A salarié in parcours with a team, the same one at every load."""
    return session.scalar(
        select(Employee)
        .where(Employee.exit_date.is_(None), Employee.team_id.is_not(None))
        .order_by(Employee.last_name.desc(), Employee.first_name)
        .limit(1)
    )


def _member(session: Session, role: Role, team_id=None) -> Membership | None:
    stmt = select(Membership).order_by(Membership.created_at)
    if team_id is not None:
        stmt = stmt.join(TeamSupervisor, TeamSupervisor.membership_id == Membership.id).where(
            TeamSupervisor.team_id == team_id
        )
    return next((m for m in session.scalars(stmt) if role in m.role_set), None)


def _observe(session, employee, author, competency, text, on, *, sensitive=False) -> Observation:
    observation = Observation(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        author_id=author.id,
        team_id=employee.team_id,
        observed_on=on,
        text=text,
        tone="positive" if not sensitive else "neutral",
        sensitive=sensitive,
    )
    observation.links.append(
        ObservationCompetency(structure_id=employee.structure_id, competency_id=competency.id)
    )
    session.add(observation)
    return observation


def load_demo_certification(session: Session, structure: Structure) -> None:
    """The ETI REAC and one salarié close to its first CCP, in the active structure."""
    if session.scalar(select(Framework.id).where(Framework.source == "reac").limit(1)):
        return
    employee = _candidate(session)
    eti = _member(session, Role.ETI, employee.team_id) if employee else None
    cip = _member(session, Role.CIP)
    if employee is None or eti is None or cip is None:
        return
    framework = save_parsed(
        session, _parsed_reac(), source="reac", filename="reac-eti-tp-00448.txt"
    )
    blocks = session.scalars(
        select(Block).where(Block.framework_id == framework.id).order_by(Block.position)
    ).all()
    competencies = session.scalars(
        select(Competency)
        .where(Competency.block_id.in_([b.id for b in blocks[:2]]))
        .order_by(Competency.position)
    ).all()
    first, second = ([c for c in competencies if c.block_id == b.id] for b in blocks[:2])
    grid = grids.save_grid(
        session,
        None,
        name="Vers le titre ETI — AT 1 et début de l'AT 2",
        description="Positionnement sur le REAC du titre Encadrant technique d'insertion.",
    )
    grids.add_competencies(session, grid, [c.id for c in first] + [second[0].id])
    today = date.today()
    for n, text in EVIDENCE:
        _observe(session, employee, eti, first[n], text, today - timedelta(days=40 - 10 * n))
    n, text = SENSITIVE
    _observe(session, employee, cip, first[n], text, today - timedelta(days=25), sensitive=True)
    assessment = assessments.start(
        session, eti, employee, grid, kind="intermediate", assessed_on=today - timedelta(days=14)
    )
    codes = dict(zip([c.id for c in first], FIRST_BLOCK_LEVELS, strict=True))
    codes[second[0].id] = "ECA"
    levels = {lv.code: lv for lv in grid.scale.levels}
    for item in assessment.items:
        code = codes.get(item.competency_id)
        if code and item.grid_item.criterion_id is None:
            assessments.set_item(
                session,
                item,
                assessments.ItemAnswer(level_id=levels[code].id),
                visible=assessments.no_observations(),
            )
    assessments.mark_seen(session, assessment, eti)
    assessments.validate_eti(session, assessment, eti)
    assessments.validate_cip(session, assessment, cip)
    session.flush()
    chosen = evidence.candidates(session, employee, framework).keys
    evidence.choose(session, employee, framework, cip, chosen)
