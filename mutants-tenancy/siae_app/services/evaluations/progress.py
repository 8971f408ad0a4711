"""Progress of a salarié: per competency, the levels of the validated assessments over time,
the change since the previous one, what is acquired — and the SVG chart drawn on the server.

Only validated (locked) assessments count, self-assessments never (they have no level), and
only the competency lines (not their criteria). « Non évalué » is no point at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from html import escape

from markupsafe import Markup
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from siae_app.models import Assessment, AssessmentItem, GridItem, Level
from siae_app.models.evaluations import ASSESSMENT_KINDS


def competency_lines(stmt: Select) -> Select:
    """Restrict a select of assessment items to the competency lines (not the criteria)."""
    return stmt.outerjoin(GridItem, GridItem.id == AssessmentItem.grid_item_id).where(
        AssessmentItem.competency_id.is_not(None), GridItem.criterion_id.is_(None)
    )


@dataclass(frozen=True)
class Point:
    assessment_id: uuid.UUID
    on: date
    kind: str
    rank: int
    label: str
    acquired: bool

    @property
    def kind_label(self) -> str:
        return ASSESSMENT_KINDS.get(self.kind, self.kind)


@dataclass
class CompetencyProgress:
    competency_id: uuid.UUID
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> int | None:
        """Levels gained (or lost) since the previous validated assessment."""
        if len(self.points) < 2:
            return None
        return self.points[-1].rank - self.points[-2].rank

    @property
    def change_label(self) -> str:
        change = self.change
        if change is None:
            return "Première évaluation" if self.points else "Pas encore évaluée"
        if change == 0:
            return "Stable"
        word = "niveau" if abs(change) == 1 else "niveaux"
        return f"{'+' if change > 0 else '−'}{abs(change)} {word}"


def history(
    session: Session, employee_id: uuid.UUID, competency_id: uuid.UUID | None = None
) -> list[CompetencyProgress]:
    """Per competency (in the order first assessed), its points oldest first; one query."""
    stmt = competency_lines(
        select(AssessmentItem, Assessment.assessed_on, Assessment.kind)
        .join(Assessment, Assessment.id == AssessmentItem.assessment_id)
        .where(
            Assessment.employee_id == employee_id,
            Assessment.locked_at.is_not(None),
            Assessment.kind != "self",
            AssessmentItem.level_rank.is_not(None),
        )
    ).order_by(Assessment.assessed_on, Assessment.created_at, AssessmentItem.position)
    if competency_id is not None:
        stmt = stmt.where(AssessmentItem.competency_id == competency_id)
    found: dict[uuid.UUID, CompetencyProgress] = {}
    for item, on, kind in session.execute(stmt):
        entry = found.setdefault(
            item.competency_id, CompetencyProgress(item.competency_id, item.label)
        )
        entry.label = item.label  # the latest wording
        entry.points.append(
            Point(
                item.assessment_id,
                on,
                kind,
                item.level_rank,
                item.level_label or "",
                item.counts_as_acquired,
            )
        )
    return list(found.values())


@dataclass
class Summary:
    acquired: list[CompetencyProgress]
    in_progress: list[CompetencyProgress]


def summary(progress: list[CompetencyProgress]) -> Summary:
    """What is acquired: the latest validated level counts as acquired."""
    acquired = [p for p in progress if p.latest and p.latest.acquired]
    return Summary(acquired, [p for p in progress if p not in acquired])


# ------------------------------------------------------------------ the SVG chart

# The viewBox is about a phone's width, so the 15 px labels stay readable at 360 px.
WIDTH, ROW, LEFT, RIGHT, TOP, BOTTOM, PAD = 400, 40, 48, 12, 14, 36, 30


def _ticks(levels: list[Level], points: list[Point]) -> list[tuple[int, str, str]]:
    """(rank, short code, label) of the y axis: the scale's levels and any frozen rank."""
    ticks = {lv.position: (lv.code, lv.label) for lv in levels}
    for p in points:
        ticks.setdefault(p.rank, (p.label[:4], p.label))
    return [(rank, *ticks[rank]) for rank in sorted(ticks)]


def _coords(points, ticks):
    ranks = [t[0] for t in ticks]
    height = TOP + ROW * max(len(ranks) - 1, 1) + BOTTOM
    span = WIDTH - LEFT - RIGHT - 2 * PAD  # dates centred on the first and last points fit
    step = span / max(len(points) - 1, 1)

    def y(rank):
        return TOP + ROW * (len(ranks) - 1 - ranks.index(rank))

    xs = [LEFT + PAD + (step * i if len(points) > 1 else span / 2) for i in range(len(points))]
    return height, xs, y


DATE_WIDTH = 66  # room a « 01/03/26 » label needs


def _labelled(xs: list[float]) -> set[int]:
    """Which points get their date under the axis: the last one, and the others from the
    first on as long as they do not overlap (the table gives every date)."""
    if not xs:
        return set()
    shown, last_x = {len(xs) - 1}, xs[-1]
    previous = None
    for n, x in enumerate(xs[:-1]):
        if (previous is None or x - previous >= DATE_WIDTH) and last_x - x >= DATE_WIDTH:
            shown.add(n)
            previous = x
    return shown


def describe(progress: CompetencyProgress) -> str:
    """The chart in one sentence (its <desc>)."""
    if not progress.points:
        return "Aucune évaluation validée."
    steps = ", ".join(f"{p.label} le {p.on.strftime('%d/%m/%Y')}" for p in progress.points)
    return (
        f"Niveaux successifs : {steps}. Évolution depuis la précédente : {progress.change_label}."
    )


def svg_chart(progress: CompetencyProgress, levels: list[Level], chart_id: str) -> Markup:
    """A line of the levels over time: accessible (role img, title, desc); no JavaScript."""
    points = progress.points
    ticks = _ticks(levels, points)
    height, xs, y = _coords(points, ticks)
    title = escape(f"Progression : {progress.label}")
    parts = [
        f'<svg class="progress-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{title}</title>',
        f'<desc id="{chart_id}-d">{escape(describe(progress))}</desc>',
    ]
    for rank, code, _label in ticks:
        parts.append(
            f'<line class="grid-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(rank)}" '
            f'y2="{y(rank)}"/><text class="axis" x="{LEFT - 8}" y="{y(rank) + 5}" '
            f'text-anchor="end">{escape(code)}</text>'
        )
    if len(points) > 1:
        path = " ".join(f"{x:.0f},{y(p.rank)}" for x, p in zip(xs, points, strict=True))
        parts.append(f'<polyline class="line" points="{path}"/>')
    labelled = _labelled(xs)
    for n, (x, p) in enumerate(zip(xs, points, strict=True)):
        parts.append(
            f'<circle class="dot{" acquired" if p.acquired else ""}" cx="{x:.0f}" '
            f'cy="{y(p.rank)}" r="7"/>'
        )
        if n in labelled:
            parts.append(
                f'<text class="axis" x="{x:.0f}" y="{height - 10}" '
                f'text-anchor="middle">{p.on.strftime("%d/%m/%y")}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
