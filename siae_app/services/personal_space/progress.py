"""« Mes objectifs », « Mes compétences », « Mon auto-évaluation »: what the salarié's own
space shows of their progress, in plain words, and their own answers to a self-assessment.

Nothing sensitive: an objectif de parcours tied to a frein on a sensitive axis stays out.
Only validated assessments count (locked, CIP validation given); a self-assessment has no
level and never counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Assessment,
    AssessmentItem,
    Barrier,
    BarrierAxis,
    Employee,
    Goal,
    GoalStatus,
    PathwayObjective,
)
from siae_app.models.evaluations import SELF_ANSWERS
from siae_app.models.scales import DEFAULT_LEVELS
from siae_app.services import ServiceError
from siae_app.services.employees import access_log
from siae_app.services.evaluations import assessments
from siae_app.services.evaluations.progress import competency_lines

# The default scale's levels, said with the self-assessment's words (a structure's own
# levels keep their label).
_LEVEL_WORDS_BY_CODE = {
    "NA": SELF_ANSWERS["not_yet"],
    "ECA": SELF_ANSWERS["with_help"],
    "A": SELF_ANSWERS["can"],
    "M": "Je sais très bien faire",
}
LEVEL_WORDS = {
    label: _LEVEL_WORDS_BY_CODE[code]
    for label, code, _colour, _acquired in DEFAULT_LEVELS
    if code in _LEVEL_WORDS_BY_CODE
}

OBJECTIVE_WORDS = {
    "non_aborde": "Pas encore commencé",
    "en_cours": "En cours",
    "realise": "Fait",
    "abandonne": "Arrêté",
}
GOAL_WORDS = {
    GoalStatus.OPEN: "En cours",
    GoalStatus.REACHED: "Atteint",
    GoalStatus.PARTLY: "En partie atteint",
    GoalStatus.MISSED: "Pas atteint à la date prévue",
    GoalStatus.DROPPED: "Arrêté",
}
FINISHED_OBJECTIVES = {"realise", "abandonne"}

LOCKED = "Cette auto-évaluation est fermée. L'équipe l'a validée. Vous ne pouvez plus la changer."
NOT_AN_ANSWER = "Choisissez une des réponses proposées."


def level_words(label: str | None, acquired: bool) -> str:
    if label in LEVEL_WORDS:
        return LEVEL_WORDS[label]
    return label or (SELF_ANSWERS["can"] if acquired else "")


# ------------------------------------------------------------------------------ objectives


@dataclass(frozen=True)
class Objective:
    label: str
    status: str
    due_on: date | None
    finished: bool
    # « parcours » (agreed with the CIP) or « competence » (a level to reach at work).
    kind: str
    target: str | None = None


def _parcours_objectives(session: Session, employee: Employee) -> list[Objective]:
    # Allow-list: an objectif shows only without a frein, or with a frein known to be on a
    # non-sensitive axis (a frein that cannot be read is as good as sensitive).
    plain_barriers = (
        select(Barrier.id)
        .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
        .where(Barrier.employee_id == employee.id, BarrierAxis.is_sensitive.is_(False))
    )
    rows = session.scalars(
        select(PathwayObjective)
        .where(
            PathwayObjective.employee_id == employee.id,
            PathwayObjective.barrier_id.is_(None) | PathwayObjective.barrier_id.in_(plain_barriers),
        )
        .order_by(PathwayObjective.due_date.is_(None), PathwayObjective.due_date)
    )
    return [
        Objective(
            label=o.label,
            status=OBJECTIVE_WORDS.get(o.status, ""),
            due_on=o.due_date,
            finished=o.status in FINISHED_OBJECTIVES,
            kind="parcours",
        )
        for o in rows
    ]


def _competency_goals(session: Session, employee: Employee) -> list[Objective]:
    rows = session.scalars(
        select(Goal)
        .where(Goal.employee_id == employee.id)
        .options(selectinload(Goal.target_level))
        .order_by(Goal.due_on.is_(None), Goal.due_on, Goal.created_at)
    )
    return [
        Objective(
            label=g.label,
            status=GOAL_WORDS.get(g.status, ""),
            due_on=g.due_on,
            finished=g.status != GoalStatus.OPEN,
            kind="competence",
            target=(
                level_words(g.target_level.label, g.target_level.counts_as_acquired)
                if g.target_level
                else None
            ),
        )
        for g in rows
    ]


@dataclass
class Objectives:
    current: list[Objective]
    finished: list[Objective]


def objectives(session: Session, employee: Employee) -> Objectives:
    found = _parcours_objectives(session, employee) + _competency_goals(session, employee)
    return Objectives(
        current=[o for o in found if not o.finished],
        finished=[o for o in found if o.finished],
    )


# ------------------------------------------------------------------------------ competencies


@dataclass(frozen=True)
class Step:
    on: date
    words: str
    acquired: bool


@dataclass
class CompetencySteps:
    label: str
    steps: list[Step] = field(default_factory=list)

    @property
    def acquired(self) -> bool:
        return bool(self.steps) and self.steps[-1].acquired

    @property
    def latest(self) -> Step:
        return self.steps[-1]


def competencies(session: Session, employee: Employee) -> list[CompetencySteps]:
    """Per competency (in the order first assessed), the levels of the validated
    assessments, oldest first. One query, whatever the number of assessments."""
    stmt = competency_lines(
        select(
            AssessmentItem.competency_id,
            AssessmentItem.label,
            AssessmentItem.level_label,
            AssessmentItem.counts_as_acquired,
            Assessment.assessed_on,
        )
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .where(
            Assessment.employee_id == employee.id,
            *assessments.validated_levels(),
        )
    ).order_by(Assessment.assessed_on, Assessment.created_at, AssessmentItem.position)
    found: dict[uuid.UUID, CompetencySteps] = {}
    for competency_id, label, level_label, acquired, on in session.execute(stmt):
        entry = found.setdefault(competency_id, CompetencySteps(label))
        entry.label = label  # the latest wording
        entry.steps.append(Step(on, level_words(level_label, acquired), acquired))
    return list(found.values())


# ------------------------------------------------------------------------------ self-assessment


def open_self_assessments(session: Session, employee: Employee) -> list[Assessment]:
    """The self-assessments the team opened for this salarié and did not validate yet."""
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.employee_id == employee.id,
                Assessment.kind == "self",
                Assessment.locked_at.is_(None),
            )
            .options(selectinload(Assessment.items))
            .order_by(Assessment.assessed_on.desc(), Assessment.created_at.desc())
        )
    )


def own_self_assessment(
    session: Session, employee: Employee, assessment_id: uuid.UUID
) -> Assessment | None:
    """This salarié's self-assessment of that id, else None (another salarié's, another
    structure's, or an assessment by the team)."""
    return session.scalar(
        select(Assessment)
        .where(
            Assessment.id == assessment_id,
            Assessment.employee_id == employee.id,
            Assessment.kind == "self",
        )
        .options(selectinload(Assessment.items))
    )


def answer(
    session: Session,
    employee: Employee,
    assessment: Assessment,
    answers: dict[uuid.UUID, str | None],
) -> int:
    """The salarié's own answers (by item id; empty: left as it was). No member of the team
    is involved: the answer is recorded through the same service as the team's, and the
    access log says the salarié gave it from their space. Returns how many lines changed."""
    if assessment.employee_id != employee.id or assessment.kind != "self":
        raise ServiceError("Cette auto-évaluation n'est pas la vôtre.")
    if assessment.is_locked:
        raise ServiceError(LOCKED)
    for item in assessment.items:
        given = answers.get(item.id)
        if given and given not in SELF_ANSWERS:
            raise ServiceError(NOT_AN_ANSWER, field=f"item-{item.id}")
    changed = 0
    for item in assessment.items:
        given = answers.get(item.id)
        if not given or given == item.self_answer:
            continue
        # The team's comment on the line stays as it was.
        line = assessments.ItemAnswer(self_answer=given, comment=item.comment)
        assessments.set_item(session, item, line, visible=assessments.no_observations())
        changed += 1
    if changed:
        access_log.record_own_view(session, employee, "auto_evaluation")
    return changed
