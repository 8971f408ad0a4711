"""The « dossier de preuves » of a salarié for a VAE / RSFP jury, on one framework (a titre).

- ``candidates``: what the CIP may choose from — the salarié's observations citing the
  framework's competencies (or cited by a line of a validated assessment on them), the AFEST
  séances held, the immersions done and the trainings done. A sensitive observation is never
  a candidate.
- ``choose``: records the chosen set (who, when); anything not among the candidates (a
  sensitive observation, another salarié's record…) is refused.
- ``document``: what the PDF prints. Identity kept minimal (name, birth year); the
  structure; the activities and contract periods; per block the validated levels with their
  date and evaluators (the same rules as ``coverage``); the chosen evidence only, a
  sensitive observation never, even if it was somehow chosen.

Every function reads a fixed number of queries, whatever the number of records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Action,
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    Competency,
    Criterion,
    Employee,
    EvidenceFile,
    EvidenceFileItem,
    Framework,
    GridItem,
    Immersion,
    LearningSession,
    Membership,
    Observation,
    ObservationCompetency,
    Partner,
    Structure,
    Team,
    User,
)
from siae_app.models.statuses import LearningStatus
from siae_app.services import ServiceError, attendance_coverage
from siae_app.services.attestations.compose import holder
from siae_app.services.certification import coverage as coverage_service
from siae_app.services.evaluations import assessments
from siae_app.services.evaluations.progress import competency_lines

OBSERVATION, SEANCE, IMMERSION, TRAINING = "observation", "seance", "immersion", "training"
KINDS = (OBSERVATION, SEANCE, IMMERSION, TRAINING)
KIND_TITLES = {
    OBSERVATION: "Observations en situation de travail",
    SEANCE: "Séances d'apprentissage en situation de travail (AFEST)",
    IMMERSION: "Immersions en entreprise (PMSMP)",
    TRAINING: "Formations suivies",
}
TRAINING_NATURE = "formation"
DONE_STATUS = "faite"


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as the page and the PDF show it."""

    kind: str
    id: uuid.UUID
    on: date | None
    title: str
    detail: str = ""
    competencies: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class Candidates:
    by_kind: dict[str, list[Evidence]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def __iter__(self):
        for kind in KINDS:
            yield from self.by_kind[kind]

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_kind.values())

    @property
    def keys(self) -> set[tuple[str, uuid.UUID]]:
        return {(e.kind, e.id) for e in self}


# ------------------------------------------------------------------ what may be chosen


def _framework_competencies(framework: Framework):
    return select(Competency.id).where(Competency.framework_id == framework.id)


def _observations(
    session: Session, employee: Employee, framework: Framework, only: set[uuid.UUID] | None
) -> list[Evidence]:
    """Non-sensitive observations of the salarié citing a competency of the framework, or
    cited by a line of a validated assessment on one of its competencies or criteria (two
    queries: the observations, then the framework's competencies they cite)."""
    comps = _framework_competencies(framework)
    cited = select(ObservationCompetency.observation_id).where(
        ObservationCompetency.competency_id.in_(comps)
    )
    criteria = select(Criterion.id).where(Criterion.framework_id == framework.id)
    in_assessment = (
        select(AssessmentEvidence.observation_id)
        .join(AssessmentItem, AssessmentItem.id == AssessmentEvidence.item_id)
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .outerjoin(GridItem, GridItem.id == AssessmentItem.grid_item_id)
        .where(
            Assessment.employee_id == employee.id,
            *assessments.validated(),
            or_(AssessmentItem.competency_id.in_(comps), GridItem.criterion_id.in_(criteria)),
        )
    )
    stmt = select(Observation).where(
        Observation.employee_id == employee.id,
        Observation.sensitive.is_(False),
        or_(Observation.id.in_(cited), Observation.id.in_(in_assessment)),
    )
    if only is not None:
        stmt = stmt.where(Observation.id.in_(only or [uuid.uuid4()]))
    found = session.scalars(stmt.order_by(Observation.observed_on, Observation.created_at)).all()
    names: dict[uuid.UUID, list[str]] = {}
    rows = session.execute(
        select(ObservationCompetency.observation_id, Competency)
        .join(Competency, Competency.id == ObservationCompetency.competency_id)
        .where(
            ObservationCompetency.observation_id.in_([o.id for o in found] or [uuid.uuid4()]),
            Competency.framework_id == framework.id,
        )
        .order_by(Competency.position, Competency.id)
    ).all()
    for observation_id, comp in rows:
        names.setdefault(observation_id, []).append(comp.label or comp.title)
    return [
        Evidence(
            OBSERVATION, o.id, o.observed_on, "Observation", o.text, tuple(names.get(o.id, ()))
        )
        for o in found
    ]


def _seances(session: Session, employee: Employee, only: set[uuid.UUID] | None) -> list[Evidence]:
    stmt = select(LearningSession).where(
        LearningSession.employee_id == employee.id,
        LearningSession.status == LearningStatus.HELD,
    )
    if only is not None:
        stmt = stmt.where(LearningSession.id.in_(only or [uuid.uuid4()]))
    return [
        Evidence(SEANCE, s.id, s.planned_on, s.competency_label, s.work_situation)
        for s in session.scalars(stmt.order_by(LearningSession.planned_on, LearningSession.id))
    ]


def _immersions(
    session: Session, employee: Employee, today: date, only: set[uuid.UUID] | None
) -> list[Evidence]:
    stmt = (
        select(Immersion, Partner.name)
        .join(Partner, Partner.id == Immersion.partner_id)
        .where(Immersion.employee_id == employee.id, Immersion.end_date < today)
    )
    if only is not None:
        stmt = stmt.where(Immersion.id.in_(only or [uuid.uuid4()]))
    found = []
    for r, partner in session.execute(stmt.order_by(Immersion.start_date, Immersion.id)):
        detail = f"{r.object_label}, {r.days} jour{'s' if r.days > 1 else ''}"
        if r.objectives_reached:
            detail += f" ; objectifs : {r.reached_label.lower()}"
        found.append(Evidence(IMMERSION, r.id, r.start_date, f"Immersion chez {partner}", detail))
    return found


def _trainings(session: Session, employee: Employee, only: set[uuid.UUID] | None) -> list[Evidence]:
    stmt = select(Action).where(
        Action.employee_id == employee.id,
        Action.nature == TRAINING_NATURE,
        Action.status == DONE_STATUS,
    )
    if only is not None:
        stmt = stmt.where(Action.id.in_(only or [uuid.uuid4()]))
    return [
        Evidence(TRAINING, a.id, a.due_date, a.label)
        for a in session.scalars(stmt.order_by(Action.due_date, Action.id))
    ]


def _gather(
    session: Session,
    employee: Employee,
    framework: Framework,
    only: dict[str, set[uuid.UUID]] | None = None,
    today: date | None = None,
) -> Candidates:
    today = today or date.today()
    pick = (lambda kind: only.get(kind, set())) if only is not None else (lambda kind: None)
    found = Candidates()
    found.by_kind[OBSERVATION] = _observations(session, employee, framework, pick(OBSERVATION))
    found.by_kind[SEANCE] = _seances(session, employee, pick(SEANCE))
    found.by_kind[IMMERSION] = _immersions(session, employee, today, pick(IMMERSION))
    found.by_kind[TRAINING] = _trainings(session, employee, pick(TRAINING))
    return found


def candidates(session: Session, employee: Employee, framework: Framework) -> Candidates:
    """What the CIP may choose from, grouped by kind, oldest first (five queries)."""
    return _gather(session, employee, framework)


# ------------------------------------------------------------------ the file and its choice


def file_of(session: Session, employee: Employee, framework: Framework) -> EvidenceFile | None:
    return session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.employee_id == employee.id, EvidenceFile.framework_id == framework.id
        )
    )


def chosen_keys(session: Session, evidence_file: EvidenceFile | None) -> set[tuple[str, uuid.UUID]]:
    if evidence_file is None:
        return set()
    rows = session.execute(
        select(EvidenceFileItem.kind, EvidenceFileItem.object_id).where(
            EvidenceFileItem.evidence_file_id == evidence_file.id
        )
    )
    return {(kind, object_id) for kind, object_id in rows}


def parse_keys(raw: list[str]) -> set[tuple[str, uuid.UUID]] | None:
    """« kind:uuid » values of the form's checkboxes; None when one is unreadable."""
    keys = set()
    for value in raw:
        kind, _, ident = value.partition(":")
        try:
            keys.add((kind, uuid.UUID(ident)))
        except ValueError:
            return None
        if kind not in KINDS:
            return None
    return keys


def choose(
    session: Session,
    employee: Employee,
    framework: Framework,
    membership: Membership,
    keys: set[tuple[str, uuid.UUID]],
) -> EvidenceFile:
    """Record ``keys`` as the chosen evidence of the salarié's file on ``framework`` (created
    the first time); refused when one of them is not a candidate."""
    allowed = candidates(session, employee, framework).keys
    if not keys <= allowed:
        raise ServiceError(
            "Une des preuves cochées ne peut pas figurer dans le dossier (une observation "
            "sensible, ou une preuve qui n'est plus au dossier du salarié) : rien n'a été "
            "enregistré. Vérifiez votre choix et enregistrez de nouveau."
        )
    found = file_of(session, employee, framework)
    if found is None:
        found = EvidenceFile(
            structure_id=employee.structure_id,
            employee_id=employee.id,
            framework_id=framework.id,
            created_by_id=membership.id,
        )
        session.add(found)
    kept = {(i.kind, i.object_id): i for i in found.items}
    for key, item in kept.items():
        if key not in keys:
            found.items.remove(item)
    for kind, object_id in sorted(keys - set(kept), key=lambda k: (k[0], str(k[1]))):
        found.items.append(
            EvidenceFileItem(structure_id=employee.structure_id, kind=kind, object_id=object_id)
        )
    found.chosen_by_id = membership.id
    found.chosen_at = datetime.now(UTC)
    session.flush()
    return found


def offer(session: Session, evidence_file: EvidenceFile, membership: Membership, on: bool) -> None:
    """Offer the file in the salarié's space (or take it back)."""
    evidence_file.offered_in_space = on
    evidence_file.offered_at = datetime.now(UTC) if on else None
    evidence_file.offered_by_id = membership.id if on else None
    session.flush()


# ------------------------------------------------------------------ the PDF's data


@dataclass(frozen=True)
class Level:
    name: str
    level_label: str = ""
    on: date | None = None
    evaluators: tuple[str, ...] = ()
    state_label: str = ""


@dataclass
class BlockLevels:
    name: str
    figure: str
    competencies: list[Level]


@dataclass
class Document:
    title: str
    framework: Framework
    holder: dict
    birth_year: int | None
    structure: dict
    activities: list[str]
    contracts: list[tuple[date, date, float, bool]]  # start, end, weekly hours, running
    blocks: list[BlockLevels]
    evidence: Candidates
    composed_on: date

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(anchor, title) of each section, for the table of contents."""
        found = [("parcours", "Le parcours dans la structure")]
        found += [(f"bloc-{n}", b.name) for n, b in enumerate(self.blocks, 1)]
        found += [(f"preuves-{k}", KIND_TITLES[k]) for k in KINDS if self.evidence.by_kind[k]]
        return found


def _evaluators(
    session: Session, employee: Employee, framework: Framework
) -> dict[uuid.UUID, tuple[str, ...]]:
    """Competency → who wrote and validated the assessment of its latest validated level
    (one query, the names joined in it)."""
    author, eti, cip = (Membership.__table__.alias(n) for n in ("a", "e", "c"))
    ua, ue, uc = (User.__table__.alias(n) for n in ("ua", "ue", "uc"))
    stmt = competency_lines(
        select(
            AssessmentItem.competency_id,
            ua.c.first_name,
            ua.c.last_name,
            ue.c.first_name,
            ue.c.last_name,
            uc.c.first_name,
            uc.c.last_name,
        )
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .join(Competency, Competency.id == AssessmentItem.competency_id)
        .outerjoin(author, author.c.id == Assessment.author_id)
        .outerjoin(ua, ua.c.id == author.c.user_id)
        .outerjoin(eti, eti.c.id == Assessment.eti_validated_by_id)
        .outerjoin(ue, ue.c.id == eti.c.user_id)
        .outerjoin(cip, cip.c.id == Assessment.cip_validated_by_id)
        .outerjoin(uc, uc.c.id == cip.c.user_id)
        .where(
            Assessment.employee_id == employee.id,
            *assessments.validated_levels(),
            Competency.framework_id == framework.id,
        )
    ).order_by(Assessment.assessed_on, Assessment.created_at, AssessmentItem.position)
    found: dict[uuid.UUID, tuple[str, ...]] = {}
    for comp_id, *names in session.execute(stmt):
        people = []
        for first, last in zip(names[::2], names[1::2], strict=True):
            if first and f"{first} {last}" not in people:
                people.append(f"{first} {last}")
        found[comp_id] = tuple(people)  # the latest wins
    return found


def _activities(session: Session, employee: Employee) -> list[str]:
    """The activités supports and teams the salarié worked in (their current team)."""
    if employee.team_id is None:
        return []
    team = session.scalar(select(Team).where(Team.id == employee.team_id))
    if team is None:
        return []
    activity = team.activity.name if team.activity else None
    return [f"{activity} ({team.name})" if activity else team.name]


def document(
    session: Session,
    employee: Employee,
    framework: Framework,
    evidence_file: EvidenceFile | None,
    today: date | None = None,
) -> Document:
    """The data of the PDF: only the chosen evidence, never a sensitive observation."""
    today = today or date.today()
    structure = session.get(Structure, employee.structure_id)
    found = coverage_service.coverage(session, employee, framework)
    evaluators = _evaluators(session, employee, framework)
    blocks = [
        BlockLevels(
            b.name,
            b.figure,
            [
                Level(
                    c.name,
                    c.level_label,
                    c.level_on,
                    evaluators.get(c.competency_id, ()) if c.level_on else (),
                    c.state_label,
                )
                for c in b.competencies
            ],
        )
        for b in found.blocks
    ]
    picked: dict[str, set[uuid.UUID]] = {k: set() for k in KINDS}
    for kind, object_id in chosen_keys(session, evidence_file):
        picked.setdefault(kind, set()).add(object_id)
    chosen = _gather(session, employee, framework, picked, today)
    contracts = [
        (s.start, s.end, float(s.weekly_hours), s.start <= today <= s.end)
        for s in attendance_coverage.contract_stretches(employee)
    ]
    return Document(
        title=f"Dossier de preuves — {framework.title}",
        framework=framework,
        holder=holder(employee),
        birth_year=employee.birth_date.year if employee.birth_date else None,
        structure={
            "name": structure.name,
            "siret": structure.siret,
            "address": structure.address,
            "city": structure.city,
        },
        activities=_activities(session, employee),
        contracts=contracts,
        blocks=blocks,
        evidence=chosen,
        composed_on=today,
    )
