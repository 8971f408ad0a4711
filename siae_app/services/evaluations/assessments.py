"""Assessments (positionnements): a level or « non évalué » on each item of a grid, the
observations that support it, three validations, a lock and recorded reopenings.

« Non évalué » is no level at all (``level_id`` None): it is never counted as a low level.
A level of the scale coded ``NE`` (the default scale's « Non évalué ») means the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    AssessmentReopening,
    Employee,
    Grid,
    Level,
    Membership,
    Observation,
    ObservationCompetency,
    Scale,
)
from siae_app.models.base import utcnow
from siae_app.models.evaluations import ASSESSMENT_KINDS, SELF_ANSWERS
from siae_app.services import ServiceError, checked_text
from siae_app.services.evaluations import goals
from siae_app.services.evaluations.grids import default_scale, live_items
from siae_app.services.versions import flush_or_stale

NOT_ASSESSED_CODE = "NE"
MAX_COMMENT = 2000
MAX_MOTIF = 300
LOCKED = (
    "Cette évaluation est validée et verrouillée : rouvrez-la (avec un motif) pour la corriger."
)
SEEN_FIRST = "Indiquez d'abord que l'évaluation a été vue avec le salarié."


def levels_of(assessment: Assessment) -> list[Level]:
    """The levels one may give on this assessment (its scale, without « Non évalué »)."""
    if assessment.scale is None:
        return []
    return [lv for lv in assessment.scale.levels if lv.code != NOT_ASSESSED_CODE]


def start(
    session: Session,
    author: Membership,
    employee: Employee,
    grid: Grid,
    *,
    kind: str,
    assessed_on: date | None,
) -> Assessment:
    """A new assessment with one line per item of the grid, each « non évalué »."""
    if kind not in ASSESSMENT_KINDS:
        raise ServiceError("Choisissez le type d'évaluation.", field="kind")
    if grid.is_archived:
        raise ServiceError("Cette grille est archivée.", field="grid_id")
    items = live_items(grid)
    if not items:
        raise ServiceError("Cette grille ne contient aucune compétence.", field="grid_id")
    if assessed_on is None:
        raise ServiceError("Indiquez la date de l'évaluation.", field="assessed_on")
    if assessed_on > date.today():
        raise ServiceError("La date ne peut pas être dans le futur.", field="assessed_on")
    scale_id = grid.scale_id or getattr(default_scale(session), "id", None)
    assessment = Assessment(
        employee_id=employee.id,
        grid_id=grid.id,
        scale_id=scale_id,
        grid_name=grid.name,
        kind=kind,
        assessed_on=assessed_on,
        author_id=author.id,
        items=[
            AssessmentItem(
                grid_item_id=gi.id,
                competency_id=gi.competency_id,
                position=n,
                label=gi.label,
                source_label=gi.source_label,
            )
            for n, gi in enumerate(items, start=1)
        ],
    )
    session.add(assessment)
    session.flush()
    return assessment


def _check_open(assessment: Assessment, field_name: str = "level_id") -> None:
    if assessment.is_locked:
        raise ServiceError(LOCKED, field=field_name)


def _level(assessment: Assessment, level_id: uuid.UUID | None) -> Level | None:
    if level_id is None:
        return None
    level = (
        next((lv for lv in assessment.scale.levels if lv.id == level_id), None)
        if (assessment.scale)
        else None
    )
    if level is None:
        raise ServiceError(
            "Ce niveau ne fait pas partie de l'échelle de la grille.", field="level_id"
        )
    return None if level.code == NOT_ASSESSED_CODE else level


def _freeze_level(item: AssessmentItem, level: Level | None) -> None:
    item.level_id = level.id if level else None
    item.level_label = level.label if level else None
    item.level_rank = level.position if level else None
    item.counts_as_acquired = bool(level and level.counts_as_acquired)


def validated() -> tuple:
    """WHERE clauses of an assessment that counts: locked and validated by the CIP."""
    return (Assessment.locked_at.is_not(None), Assessment.cip_validated_at.is_not(None))


def validated_levels() -> tuple:
    """WHERE clauses of a level given in an assessment that counts (a self-assessment has no
    level; « non évalué » is no level)."""
    return (*validated(), Assessment.kind != "self", AssessmentItem.level_rank.is_not(None))


def no_observations() -> Select:
    """A scope that sees no observation (demo data, tests: lines set without evidence)."""
    return select(Observation).where(false())


EVIDENCE_MONTHS = 12  # observations offered: those of the year before the assessment
EVIDENCE_SHOWN = 20  # at most, newest first, per competency on the page


def evidence_candidates(
    session: Session,
    visible: Select,
    assessment: Assessment,
    competency_ids,
    limit: int | None = None,
) -> dict[uuid.UUID, list[Observation]]:
    """The observations of the salarié (within ``visible``, the reader's scope) that cite each
    competency, from the year before the assessment on, newest first (``limit`` per
    competency) — one query for the whole assessment."""
    ids = {c for c in competency_ids if c is not None}
    if not ids:
        return {}
    since = assessment.assessed_on - timedelta(days=365 * EVIDENCE_MONTHS // 12)
    rows = session.execute(
        visible.add_columns(ObservationCompetency.competency_id)
        .join(ObservationCompetency, ObservationCompetency.observation_id == Observation.id)
        .where(
            Observation.employee_id == assessment.employee_id,
            Observation.observed_on >= since,
            ObservationCompetency.competency_id.in_(ids),
        )
        .order_by(Observation.observed_on.desc(), Observation.created_at.desc())
    ).all()
    found: dict[uuid.UUID, list[Observation]] = {}
    for observation, competency_id in rows:
        offered = found.setdefault(competency_id, [])
        if limit is None or len(offered) < limit:
            offered.append(observation)
    return found


def _set_evidence(session: Session, item: AssessmentItem, visible: Select, chosen) -> None:
    """Evidence becomes what was chosen among the observations this reader may see; the
    evidence they cannot see (another's sensitive observation) stays as it was."""
    candidates = evidence_candidates(session, visible, item.assessment, [item.competency_id])
    seen_ids = {o.id for o in candidates.get(item.competency_id, [])}
    chosen = set(chosen)
    if not chosen <= seen_ids:
        raise ServiceError(
            "Une observation choisie ne cite pas cette compétence.", field="evidence_ids"
        )
    for ev in list(item.evidence):
        if ev.observation_id in seen_ids and ev.observation_id not in chosen:
            item.evidence.remove(ev)
    kept = {ev.observation_id for ev in item.evidence}
    for observation_id in chosen - kept:
        item.evidence.append(AssessmentEvidence(observation_id=observation_id))


@dataclass
class ItemAnswer:
    """What was given on one line: a level (or none), a self-answer, a comment, evidence."""

    level_id: uuid.UUID | None = None
    self_answer: str | None = None
    comment: str | None = None
    evidence_ids: list[uuid.UUID] = field(default_factory=list)


def set_item(
    session: Session,
    item: AssessmentItem,
    answer: ItemAnswer,
    *,
    visible: Select,
) -> AssessmentItem:
    """Record one line. A self-assessment takes an answer in plain words, the others a level
    of the scale and the observations that support it."""
    assessment = item.assessment
    _check_open(assessment, "self_answer" if assessment.kind == "self" else "level_id")
    item.comment = checked_text(answer.comment, "comment", max_len=MAX_COMMENT)
    if assessment.kind == "self":
        if answer.self_answer is not None and answer.self_answer not in SELF_ANSWERS:
            raise ServiceError("Choisissez une des réponses proposées.", field="self_answer")
        item.self_answer = answer.self_answer
    else:
        _freeze_level(item, _level(assessment, answer.level_id))
        _set_evidence(session, item, visible, answer.evidence_ids)
    # Touch the assessment: its version number makes a concurrent validation fail cleanly.
    assessment.updated_at = utcnow()
    flush_or_stale(session)
    return item


def _has_answers(assessment: Assessment) -> bool:
    if assessment.kind == "self":
        return any(i.self_answer for i in assessment.items)
    return any(i.level_id for i in assessment.items)


def mark_seen(session: Session, assessment: Assessment, membership: Membership) -> Assessment:
    """« Vu avec le salarié »: the salarié went through it with the ETI or the CIP."""
    _check_open(assessment, None)
    if assessment.seen_with_employee_at is not None:
        raise ServiceError("L'évaluation est déjà marquée comme vue avec le salarié.")
    if not _has_answers(assessment):
        raise ServiceError("Renseignez au moins une ligne avant de la voir avec le salarié.")
    assessment.seen_with_employee_at = utcnow()
    assessment.seen_with_employee_by_id = membership.id
    flush_or_stale(session)
    return assessment


def _lock_if_complete(session: Session, assessment: Assessment) -> None:
    if assessment.eti_validated_at and assessment.cip_validated_at:
        assessment.locked_at = utcnow()
        goals.report(session, assessment)


def _check_can_validate(assessment: Assessment, already) -> None:
    _check_open(assessment, None)
    if assessment.seen_with_employee_at is None:
        raise ServiceError(SEEN_FIRST)
    if already is not None:
        raise ServiceError("Cette validation est déjà donnée.")


def _validate(session: Session, assessment: Assessment, membership: Membership, who: str):
    """The validation of ``who`` (« eti » or « cip »): when, by whom; both given → locked."""
    _check_can_validate(assessment, getattr(assessment, f"{who}_validated_at"))
    setattr(assessment, f"{who}_validated_at", utcnow())
    setattr(assessment, f"{who}_validated_by_id", membership.id)
    _lock_if_complete(session, assessment)
    flush_or_stale(session)
    return assessment


def validate_eti(session: Session, assessment: Assessment, membership: Membership) -> Assessment:
    return _validate(session, assessment, membership, "eti")


def validate_cip(session: Session, assessment: Assessment, membership: Membership) -> Assessment:
    return _validate(session, assessment, membership, "cip")


def reopen(
    session: Session, assessment: Assessment, membership: Membership, motif: str
) -> AssessmentReopening:
    """A correction: the motif is recorded and every validation is given again afterwards."""
    if not assessment.is_locked:
        raise ServiceError("Cette évaluation n'est pas verrouillée.", field="motif")
    motif = checked_text(
        motif, "motif", missing="Indiquez le motif de la correction.", max_len=MAX_MOTIF
    )
    reopening = AssessmentReopening(by_id=membership.id, motif=motif)
    assessment.reopenings.append(reopening)
    assessment.locked_at = None
    assessment.seen_with_employee_at = assessment.seen_with_employee_by_id = None
    assessment.eti_validated_at = assessment.eti_validated_by_id = None
    assessment.cip_validated_at = assessment.cip_validated_by_id = None
    goals.unreport(session, assessment)
    flush_or_stale(session)
    return reopening


def page_options():
    """What the assessment page reads, loaded in a fixed number of queries."""
    return (
        selectinload(Assessment.items)
        .selectinload(AssessmentItem.evidence)
        .selectinload(AssessmentEvidence.observation),
        selectinload(Assessment.items).selectinload(AssessmentItem.grid_item),
        selectinload(Assessment.scale).selectinload(Scale.levels),
        selectinload(Assessment.reopenings)
        .selectinload(AssessmentReopening.by)
        .selectinload(Membership.user),
        selectinload(Assessment.author).selectinload(Membership.user),
        selectinload(Assessment.seen_with_employee_by).selectinload(Membership.user),
        selectinload(Assessment.eti_validated_by).selectinload(Membership.user),
        selectinload(Assessment.cip_validated_by).selectinload(Membership.user),
    )
