"""The draft of a bilan: the period since the previous one, compiled from what the team
recorded and frozen in ``Review.compiled`` (JSON) so the bilan says what was known that day.

Nothing sensitive is compiled: freins on sensitive axes, sensitive observations and
objectifs tied to a sensitive frein stay out (the CIP includes one explicitly, see
documents). Figures are computed with the attendance feature's own totals.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Action,
    Barrier,
    BarrierAxis,
    Employee,
    Immersion,
    Observation,
    PathwayObjective,
)
from siae_app.models.actions import ACTION_STATUSES, OPEN_ACTION_STATUSES
from siae_app.models.attendance import ABSENCE_MOTIFS
from siae_app.models.diagnostic import BARRIER_STATUSES
from siae_app.models.evaluations import Assessment, Goal
from siae_app.models.reviews import Review, ReviewFollowup
from siae_app.models.scales import Level, Scale
from siae_app.models.statuses import GoalStatus, ReviewStatus
from siae_app.services import attendance, attendance_coverage
from siae_app.services.evaluations import grids
from siae_app.services.evaluations.assessments import NOT_ASSESSED_CODE

CHANGES = {1: "En progrès", 0: "Stable", -1: "En recul"}
STATUS_ORDER = {"non_aborde": 0, "identifie": 1, "en_cours": 2, "leve": 3}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ------------------------------------------------------------------ the period


def previous_review(session: Session, employee_id: uuid.UUID, before: Review | None = None):
    """The latest bilan of the salarié that was held (tenu or validé), other than ``before``."""
    stmt = (
        select(Review)
        .where(
            Review.employee_id == employee_id,
            Review.status.in_((ReviewStatus.HELD, ReviewStatus.VALIDATED)),
        )
        .order_by(Review.period_end.desc().nulls_last(), Review.created_at.desc())
    )
    if before is not None and before.id is not None:
        stmt = stmt.where(Review.id != before.id)
    return session.scalars(stmt.limit(1)).first()


def period_start(employee: Employee, previous: Review | None, today: date) -> date:
    if previous is not None and previous.period_end is not None:
        return min(today, previous.period_end + timedelta(days=1))
    return employee.entry_date or today


# ------------------------------------------------------------------ sections


def attendance_part(session: Session, employee_id: uuid.UUID, start: date, end: date) -> dict:
    """Rate, hours worked and absences by motif over the period (the attendance totals)."""
    grid = attendance.grid(session, select(Employee).where(Employee.id == employee_id), start, end)
    totals = grid.totals
    return {
        "rate": totals.rate,
        "hours": str(totals.hours),
        "present_days": totals.present_days,
        "absent_days": totals.absent_days,
        "absences": [
            {"motif": m, "label": label, "count": totals.absences[m]}
            for m, label in ABSENCE_MOTIFS.items()
            if totals.absences.get(m)
        ],
    }


def _item_key(item) -> str:
    return str(item.competency_id) if item.competency_id else item.label.strip().casefold()


def _change(previous_rank: int | None, rank: int | None) -> str:
    if rank is None:
        return "Non évalué"
    if previous_rank is None:
        return "Première évaluation"
    return CHANGES[(rank > previous_rank) - (rank < previous_rank)]


# ------------------------------------------------------------------ evaluations: summary

ACQUIRED, IN_PROGRESS, TO_WORK = "acquired", "in_progress", "to_work"
GROUP_LABELS = {
    ACQUIRED: "Acquis",
    IN_PROGRESS: "En cours d'acquisition",
    TO_WORK: "À travailler",
}
MOVES = {"up": "En progrès", "down": "En recul"}


@dataclass(frozen=True)
class LevelGroups:
    """How the levels of a scale fall into the summary's three groups.

    The rule, true for any scale (levels ordered by position, low to high; « Non évalué » is
    no level, see evaluations.assessments.NOT_ASSESSED_CODE):
    - acquis: the levels marked « compte comme acquis » (the flag is frozen on each assessment
      item); on a scale that marks none, its top level;
    - à travailler: the lowest level (unless it counts as acquired);
    - en cours d'acquisition: every level in between.
    So a 3-level scale (Non acquis, En cours, Acquis) gives one level per group, and the
    default scale (Non acquis, En cours d'acquisition, Acquis, Maîtrisé) gives Non acquis /
    En cours d'acquisition / Acquis and Maîtrisé. Without any known level (no scale), an
    item not counted as acquired is « en cours »: nothing says it is the lowest.
    """

    marks_acquired: bool
    lowest: int | None
    top: int | None

    @classmethod
    def of_scale(cls, levels: list[Level]) -> LevelGroups:
        ranks = [lv.position for lv in levels]
        return cls(
            marks_acquired=any(lv.counts_as_acquired for lv in levels),
            lowest=min(ranks, default=None),
            top=max(ranks, default=None),
        )

    def group(self, rank: int | None, acquired: bool) -> str | None:
        if rank is None:
            return None
        if acquired or (not self.marks_acquired and self.top is not None and rank >= self.top):
            return ACQUIRED
        if self.lowest is not None and rank <= self.lowest:
            return TO_WORK
        return IN_PROGRESS


def _level_groups(assessment: Assessment, fallback) -> LevelGroups:
    """The groups of the assessment's scale (the default scale when it has none, as a new
    assessment would get)."""
    scale = assessment.scale or fallback()
    levels = [lv for lv in (scale.levels if scale else []) if lv.code != NOT_ASSESSED_CODE]
    return LevelGroups.of_scale(levels)


def _summary(lines: list[dict]) -> dict:
    """Competencies by level group and the moves since an earlier level, in words (each
    line carries its group, its previous level and that level's date)."""
    groups = []
    for key, label in GROUP_LABELS.items():
        items = [{"label": i["label"], "level": i["level"]} for i in lines if i["group"] == key]
        groups.append(
            {
                "key": key,
                "label": label,
                "items": items,
                # Several levels in the group: each name says its own.
                "mixed": len({i["level"] for i in items}) > 1,
            }
        )
    moves = []
    for key, change in MOVES.items():
        moved = [i for i in lines if i["change"] == change]
        for since in sorted({i["previous_on"] for i in moved}):
            moves.append(
                {
                    "key": key,
                    "label": change,
                    "since": since,
                    "items": [
                        {"label": i["label"], "from": i["previous"], "to": i["level"]}
                        for i in moved
                        if i["previous_on"] == since
                    ],
                }
            )
    return {
        "groups": groups,
        "not_assessed": [i["label"] for i in lines if i["group"] is None],
        "moves": moves,
    }


def evaluations_part(session: Session, employee_id: uuid.UUID, start: date, end: date) -> list:
    """Validated assessments of the period, each item with its level and its change since the
    last validated level of the same competency (earlier assessments count as reference).

    The latest assessment of each grid in the period also carries a ``summary`` (see
    _summary, LevelGroups): what the bilan's body prints; every assessment's full table goes
    to the PDF's annex. Bilans frozen before the summary existed have none (the PDF then
    prints their tables as it did)."""
    assessments = session.scalars(
        select(Assessment)
        .options(
            selectinload(Assessment.items),
            selectinload(Assessment.scale).selectinload(Scale.levels),
        )
        .where(
            Assessment.employee_id == employee_id,
            Assessment.locked_at.is_not(None),
            Assessment.kind != "self",
            Assessment.assessed_on <= end,
        )
        .order_by(Assessment.assessed_on, Assessment.created_at)
    ).all()
    default: list[Scale | None] = []

    def fallback() -> Scale | None:
        if not default:
            default.append(grids.default_scale(session))
        return default[0]

    last: dict[str, tuple[str, int, date]] = {}
    result = []
    latest_of_grid: dict[str, dict] = {}
    for a in assessments:
        groups = _level_groups(a, fallback)
        lines = []
        for item in a.items:
            key = _item_key(item)
            before = last.get(key)
            lines.append(
                {
                    "label": item.label,
                    "level": item.level_label if item.level_rank is not None else "Non évalué",
                    "previous": before[0] if before else None,
                    "change": _change(before[1] if before else None, item.level_rank),
                    "group": groups.group(item.level_rank, item.counts_as_acquired),
                    "previous_on": _iso(before[2]) if before else None,
                }
            )
            if item.level_rank is not None:
                last[key] = (item.level_label or "", item.level_rank, a.assessed_on)
        if a.assessed_on >= start:
            part = {
                "name": a.grid_name,
                "kind": a.kind_label,
                "assessed_on": _iso(a.assessed_on),
                "items": lines,
            }
            result.append(part)
            latest_of_grid[str(a.grid_id or a.grid_name)] = part
    for part in latest_of_grid.values():
        part["summary"] = _summary(part["items"])
    return result


def _barrier_change(before: dict | None, status: str, level: int | None) -> str:
    if before is None:
        return "Nouveau"
    if status == "leve" and before["status"] != "leve":
        return "Levé"
    moved = STATUS_ORDER.get(status, 0) - STATUS_ORDER.get(before["status"], 0)
    if moved > 0 or (level is not None and before["level"] is not None and level < before["level"]):
        return "En amélioration"
    if moved < 0 or (level is not None and before["level"] is not None and level > before["level"]):
        return "En aggravation"
    return "Inchangé"


def barriers_part(session: Session, employee_id: uuid.UUID, previous: Review | None) -> list:
    """Freins on non-sensitive axes, with their change since the previous bilan."""
    rows = session.scalars(
        select(Barrier)
        .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
        .options(selectinload(Barrier.axis))
        .where(Barrier.employee_id == employee_id, BarrierAxis.is_sensitive.is_(False))
        .order_by(BarrierAxis.position)
    ).all()
    before = {
        b["id"]: b for b in ((previous.compiled or {}).get("barriers", []) if previous else [])
    }
    return [
        {
            "id": str(b.id),
            "axis": b.axis.label,
            "status": b.status,
            "status_label": BARRIER_STATUSES.get(b.status, b.status),
            "level": b.level,
            "comment": b.comment,
            "change": _barrier_change(before.get(str(b.id)), b.status, b.level),
        }
        for b in rows
    ]


def trainings_part(session: Session, employee_id: uuid.UUID, start: date, end: date) -> dict:
    """Formations and PMSMP immersions (actions of those natures; days marked with the PMSMP
    motif are counted by the caller) of the period."""
    actions = session.scalars(
        select(Action)
        .where(Action.employee_id == employee_id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.created_at)
    ).all()

    def line(a: Action) -> dict:
        return {
            "label": a.label,
            "status": ACTION_STATUSES.get(a.status, a.status),
            "due": _iso(a.due_date),
        }

    def in_period(a: Action) -> bool:
        return a.due_date is None or start <= a.due_date <= end or a.status in OPEN_ACTION_STATUSES

    conventions = pmsmp_conventions(session, employee_id, start, end)
    return {
        "trainings": [line(a) for a in actions if a.nature == "formation" and in_period(a)],
        # The conventions when there are; the actions of nature PMSMP were the only record
        # before them (kept for what was entered then).
        "pmsmp_conventions": conventions,
        "pmsmp_actions": []
        if conventions
        else [line(a) for a in actions if a.nature == "pmsmp" and in_period(a)],
    }


def pmsmp_conventions(session: Session, employee_id: uuid.UUID, start: date, end: date) -> list:
    """The PMSMP conventions (services/immersions.py) that meet the period, with their outcome."""
    rows = session.scalars(
        select(Immersion)
        .options(selectinload(Immersion.partner))
        .where(
            Immersion.employee_id == employee_id,
            Immersion.start_date <= end,
            Immersion.end_date >= start,
        )
        .order_by(Immersion.start_date)
    ).all()
    return [
        {
            "host": r.partner.name,
            "start": _iso(r.start_date),
            "end": _iso(r.end_date),
            "days": r.days,
            "object": r.object_label,
            "renewal": r.is_renewal,
            "reached": r.reached_label or None,
            "job_offer": r.job_offer,
        }
        for r in rows
    ]


def presence_coverage(session: Session, employee: Employee, start: date, end: date) -> dict:
    """How far the marks cover the days under contract of the period: the figures are the
    salarié's only when they do; a week without any mark is not recorded (see
    attendance_coverage). Today's marks may still be missing: the days up to yesterday are
    judged."""
    today = date.today()
    judged_end = end if end < today else max(start, today - timedelta(days=1))
    return attendance_coverage.of_employee(session, employee, start, judged_end).as_dict()


def coverage_of(session: Session, review: Review) -> dict | None:
    """The coverage frozen with the draft, or, for a draft compiled before it was, computed
    now over its period (the marks of a past period rarely change)."""
    compiled = review.compiled or {}
    frozen = compiled.get("attendance", {}).get("coverage")
    if frozen is not None:
        return frozen
    period = compiled.get("period") or {}
    if not period.get("start") or not period.get("end"):
        return None
    employee = session.get(Employee, review.employee_id)
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    return presence_coverage(session, employee, start, end)


def compile_period(
    session: Session, employee: Employee, start: date, end: date, previous: Review | None
) -> dict:
    """Everything the draft shows, as JSON (dates as ISO strings)."""
    presence = attendance_part(session, employee.id, start, end)
    presence["coverage"] = presence_coverage(session, employee, start, end)
    trainings = trainings_part(session, employee.id, start, end)
    # The days of the conventions when there are (each counted whole), else the days marked
    # with the PMSMP motif (before the conventions were recorded).
    trainings["pmsmp_days"] = sum(c["days"] for c in trainings["pmsmp_conventions"]) or next(
        (a["count"] for a in presence["absences"] if a["motif"] == "pmsmp"), 0
    )
    return {
        "period": {"start": _iso(start), "end": _iso(end)},
        "attendance": presence,
        "evaluations": evaluations_part(session, employee.id, start, end),
        "barriers": barriers_part(session, employee.id, previous),
        "trainings": trainings,
    }


# ------------------------------------------------------------------ follow-ups


# A goal's status → the outcome the bilan's follow-up is prefilled with.
GOAL_OUTCOMES = {
    GoalStatus.REACHED: "reached",
    GoalStatus.PARTLY: "partly",
    GoalStatus.MISSED: "missed",
}
OBJECTIVE_OUTCOMES = {"realise": "reached"}


def _still_relevant(row, start: date, closed: tuple[str, ...]) -> bool:
    """Open, or closed during the period (its outcome belongs to this bilan)."""
    if row.status not in closed:
        return True
    return row.updated_at is not None and row.updated_at.date() >= start


def followups(session: Session, employee_id: uuid.UUID, start: date) -> list[ReviewFollowup]:
    """Goals, objectifs and actions set before the period, each to be marked in one gesture
    (prefilled from its current status). Objectifs tied to a sensitive frein stay out."""
    sensitive_barriers = (
        select(Barrier.id)
        .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
        .where(Barrier.employee_id == employee_id, BarrierAxis.is_sensitive.is_(True))
    )
    goals = session.scalars(
        select(Goal).where(Goal.employee_id == employee_id).order_by(Goal.created_at)
    ).all()
    objectives = session.scalars(
        select(PathwayObjective)
        .where(
            PathwayObjective.employee_id == employee_id,
            PathwayObjective.barrier_id.is_(None)
            | PathwayObjective.barrier_id.not_in(sensitive_barriers),
        )
        .order_by(PathwayObjective.created_at)
    ).all()
    actions = session.scalars(
        select(Action).where(Action.employee_id == employee_id).order_by(Action.created_at)
    ).all()
    rows = [
        ReviewFollowup(
            kind="goal", goal_id=g.id, label=g.label, outcome=GOAL_OUTCOMES.get(g.status)
        )
        for g in goals
        if _still_relevant(g, start, tuple(s for s in GoalStatus if s is not GoalStatus.OPEN))
    ]
    rows += [
        ReviewFollowup(
            kind="objective",
            objective_id=o.id,
            label=o.label,
            outcome=OBJECTIVE_OUTCOMES.get(o.status),
        )
        for o in objectives
        if _still_relevant(o, start, ("realise", "abandonne"))
    ]
    rows += [
        ReviewFollowup(
            kind="action",
            action_id=a.id,
            label=a.label,
            outcome="done" if a.status == "faite" else None,
        )
        for a in actions
        if _still_relevant(a, start, ("faite", "abandonnee", "annulee"))
    ]
    for i, row in enumerate(rows):
        row.position = i
    return rows


def highlight_candidates(session: Session, stmt, review: Review) -> list[Observation]:
    """The period's non-sensitive observations (from a scope ``stmt``) the team may pick."""
    compiled = review.compiled or {}
    period = compiled.get("period", {})
    start = date.fromisoformat(period["start"]) if period.get("start") else review.period_start
    end = date.fromisoformat(period["end"]) if period.get("end") else review.period_end
    stmt = stmt.where(
        Observation.employee_id == review.employee_id, Observation.sensitive.is_(False)
    )
    if start:
        stmt = stmt.where(Observation.observed_on >= start)
    if end:
        stmt = stmt.where(Observation.observed_on <= end)
    return list(session.scalars(stmt.order_by(Observation.observed_on.desc()).limit(100)))
