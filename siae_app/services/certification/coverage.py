"""Coverage of a titre's blocks (activités types / CCP) by a salarié's evaluations.

The rules, exactly:

- A competency is « acquise » when its latest level in a validated assessment (locked, and
  validated by the CIP) counts as acquired on its scale; « en cours » when it has a validated
  level below that, or a level only in assessments not validated yet; « jamais évaluée »
  otherwise. As in ``evaluations.progress``: competency lines only (not their criteria),
  self-assessments never (they have no level), « non évalué » is no level.
- A block's figure is its acquired competencies over its competencies; what is missing is the
  competencies not acquired. Archived blocks, competencies and criteria are left out, and so
  are the transversal competencies (they belong to no block).
- A criterion is covered by evidence when either
  (a) a line of a validated assessment on that very criterion cites an observation, or
  (b) an observation of the salarié cites the criterion's competency.
  A sensitive observation never counts, in (a) or (b): it is not shown to everyone who reads
  this page, and it is not meant as evidence for a jury.

Every figure comes from a fixed number of queries, whatever the number of blocks,
competencies or salariés.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    Block,
    Competency,
    Criterion,
    Employee,
    Framework,
    GridItem,
    Observation,
    ObservationCompetency,
)
from siae_app.services.evaluations import assessments
from siae_app.services.evaluations.progress import competency_lines

ACQUIRED, IN_PROGRESS, NEVER = "acquise", "en_cours", "jamais"
STATE_LABELS = {
    ACQUIRED: "Acquise",
    IN_PROGRESS: "En cours",
    NEVER: "Jamais évaluée",
}
# A best block at or above this share of acquired competencies is « proche » of its CCP.
CLOSE_THRESHOLD = 0.5


@dataclass(frozen=True)
class CompetencyState:
    competency_id: uuid.UUID
    label: str  # « CP 3 » in a REAC, else empty
    title: str
    state: str = NEVER
    level_label: str = ""  # the latest validated level, if any
    level_on: date | None = None

    @property
    def name(self) -> str:
        return f"{self.label} · {self.title}" if self.label else self.title

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class BlockCoverage:
    block_id: uuid.UUID
    label: str  # « AT 1 » in a REAC, else empty
    title: str
    competencies: list[CompetencyState] = field(default_factory=list)
    criteria_total: int = 0
    criteria_covered: int = 0

    @property
    def name(self) -> str:
        return f"{self.label} · {self.title}" if self.label else self.title

    def _in(self, state: str) -> list[CompetencyState]:
        return [c for c in self.competencies if c.state == state]

    @property
    def acquired(self) -> list[CompetencyState]:
        return self._in(ACQUIRED)

    @property
    def in_progress(self) -> list[CompetencyState]:
        return self._in(IN_PROGRESS)

    @property
    def never(self) -> list[CompetencyState]:
        return self._in(NEVER)

    @property
    def missing(self) -> list[str]:
        return [c.name for c in self.competencies if c.state != ACQUIRED]

    @property
    def share(self) -> float:
        return len(self.acquired) / len(self.competencies) if self.competencies else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def figure(self) -> str:
        """« 2 sur 3 (67 %) »"""
        return f"{len(self.acquired)} sur {len(self.competencies)} ({self.percent} %)"


@dataclass
class FrameworkCoverage:
    framework: Framework
    employee_id: uuid.UUID
    blocks: list[BlockCoverage]


# ------------------------------------------------------------------ the framework's shape


@dataclass(frozen=True)
class _Shape:
    """The live blocks and their competencies, in framework order (one query)."""

    blocks: list[tuple[Block, list[Competency]]]


def _shape(session: Session, framework: Framework) -> _Shape:
    rows = session.execute(
        select(Block, Competency)
        .join(Competency, Competency.block_id == Block.id)
        .where(
            Block.framework_id == framework.id,
            Block.is_archived.is_(False),
            Competency.is_archived.is_(False),
        )
        .order_by(Block.position, Block.id, Competency.position, Competency.id)
    ).all()
    blocks: dict[uuid.UUID, tuple[Block, list[Competency]]] = {}
    for block, comp in rows:
        blocks.setdefault(block.id, (block, []))[1].append(comp)
    return _Shape(list(blocks.values()))


# ------------------------------------------------------------------ levels, batched


@dataclass
class _Seen:
    latest_validated: tuple[str, bool, date] | None = None  # (label, acquired, on)
    unvalidated: bool = False


def _levels(
    session: Session, framework: Framework, employee_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], _Seen]:
    """(employee, competency) → what the assessments say, oldest first (one query)."""
    stmt = competency_lines(
        select(
            Assessment.employee_id,
            AssessmentItem.competency_id,
            AssessmentItem.level_label,
            AssessmentItem.counts_as_acquired,
            Assessment.locked_at,
            Assessment.cip_validated_at,
            Assessment.assessed_on,
        )
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .join(Competency, Competency.id == AssessmentItem.competency_id)
        .where(
            Assessment.employee_id.in_(employee_ids),
            Assessment.kind != "self",
            AssessmentItem.level_rank.is_not(None),
            Competency.framework_id == framework.id,
        )
    ).order_by(Assessment.assessed_on, Assessment.created_at, AssessmentItem.position)
    seen: dict[tuple[uuid.UUID, uuid.UUID], _Seen] = {}
    for employee_id, comp_id, label, acquired, locked, cip, on in session.execute(stmt):
        entry = seen.setdefault((employee_id, comp_id), _Seen())
        if locked is not None and cip is not None:
            entry.latest_validated = (label or "", bool(acquired), on)
        else:
            entry.unvalidated = True
    return seen


def _state(comp: Competency, seen: _Seen | None) -> CompetencyState:
    if seen is None:
        return CompetencyState(comp.id, comp.label, comp.title)
    if seen.latest_validated is not None:
        label, acquired, on = seen.latest_validated
        state = ACQUIRED if acquired else IN_PROGRESS
        return CompetencyState(comp.id, comp.label, comp.title, state, label, on)
    return CompetencyState(comp.id, comp.label, comp.title, IN_PROGRESS)


# ------------------------------------------------------------------ criteria and evidence


def _criteria(session: Session, framework: Framework) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(criterion, competency) of the framework's live criteria (one query)."""
    return list(
        session.execute(
            select(Criterion.id, Criterion.competency_id).where(
                Criterion.framework_id == framework.id, Criterion.is_archived.is_(False)
            )
        ).tuples()
    )


def _evidenced_criteria(
    session: Session, framework: Framework, employee_id: uuid.UUID
) -> set[uuid.UUID]:
    """Criteria with a line of a validated assessment citing a non-sensitive observation."""
    stmt = (
        select(GridItem.criterion_id)
        .join(AssessmentItem, AssessmentItem.grid_item_id == GridItem.id)
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .join(AssessmentEvidence, AssessmentEvidence.item_id == AssessmentItem.id)
        .join(Observation, Observation.id == AssessmentEvidence.observation_id)
        .join(Criterion, Criterion.id == GridItem.criterion_id)
        .where(
            Assessment.employee_id == employee_id,
            *assessments.validated(),
            Observation.sensitive.is_(False),
            Criterion.framework_id == framework.id,
        )
        .distinct()
    )
    return set(session.scalars(stmt))


def _observed_competencies(
    session: Session, framework: Framework, employee_id: uuid.UUID
) -> set[uuid.UUID]:
    """Competencies of the framework cited by a non-sensitive observation of the salarié."""
    stmt = (
        select(ObservationCompetency.competency_id)
        .join(Observation, Observation.id == ObservationCompetency.observation_id)
        .join(Competency, Competency.id == ObservationCompetency.competency_id)
        .where(
            Observation.employee_id == employee_id,
            Observation.sensitive.is_(False),
            Competency.framework_id == framework.id,
        )
        .distinct()
    )
    return set(session.scalars(stmt))


# ------------------------------------------------------------------ one salarié


def coverage(session: Session, employee: Employee, framework: Framework) -> FrameworkCoverage:
    """Per block of ``framework`` (in its order): the state of each competency for
    ``employee``, the figure, what is missing and the criteria covered (five queries)."""
    shape = _shape(session, framework)
    seen = _levels(session, framework, [employee.id]) if shape.blocks else {}
    criteria = _criteria(session, framework) if shape.blocks else []
    evidenced = _evidenced_criteria(session, framework, employee.id) if criteria else set()
    observed = _observed_competencies(session, framework, employee.id) if criteria else set()
    by_competency: dict[uuid.UUID, list[uuid.UUID]] = {}
    for criterion_id, comp_id in criteria:
        by_competency.setdefault(comp_id, []).append(criterion_id)
    blocks = []
    for block, comps in shape.blocks:
        entry = BlockCoverage(block.id, block.label, block.title)
        for comp in comps:
            entry.competencies.append(_state(comp, seen.get((employee.id, comp.id))))
            ids = by_competency.get(comp.id, [])
            entry.criteria_total += len(ids)
            entry.criteria_covered += (
                len(ids) if comp.id in observed else len([i for i in ids if i in evidenced])
            )
        blocks.append(entry)
    return FrameworkCoverage(framework, employee.id, blocks)


# ------------------------------------------------------------------ many salariés


@dataclass
class Closeness:
    """A salarié's best block (the highest share acquired; the first in framework order on a
    tie), or none when nothing is acquired in any block."""

    employee: Employee
    best: BlockCoverage | None
    threshold: float = CLOSE_THRESHOLD

    @property
    def share(self) -> float:
        return self.best.share if self.best else 0.0

    @property
    def is_complete(self) -> bool:
        return self.best is not None and self.share == 1.0

    @property
    def is_close(self) -> bool:
        return self.best is not None and self.threshold <= self.share < 1.0


def close_to_a_block(
    session: Session,
    framework: Framework,
    employees: Iterable[Employee],
    threshold: float = CLOSE_THRESHOLD,
) -> list[Closeness]:
    """For each salarié, the best block of ``framework`` and its figure; the closest to a
    complete block first (then by name). Two queries, whatever the number of salariés."""
    employees = list(employees)
    shape = _shape(session, framework)
    ids = [e.id for e in employees]
    seen = _levels(session, framework, ids) if shape.blocks and ids else {}
    found = []
    for employee in employees:
        best = None
        for block, comps in shape.blocks:
            entry = BlockCoverage(block.id, block.label, block.title)
            entry.competencies = [_state(c, seen.get((employee.id, c.id))) for c in comps]
            if entry.acquired and (best is None or entry.share > best.share):
                best = entry
        found.append(Closeness(employee, best, threshold))
    found.sort(key=lambda c: (-c.share, c.employee.last_name.lower(), c.employee.first_name))
    return found
