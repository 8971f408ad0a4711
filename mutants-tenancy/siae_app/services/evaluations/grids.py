"""Grilles d'évaluation: competencies (and their criteria) chosen from frameworks.

A grid item keeps the label and the source it was added with: a framework edited later does
not rewrite a grid, nor the assessments made on it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Activity,
    ActivityFramework,
    Competency,
    Framework,
    Grid,
    GridItem,
    Scale,
)
from siae_app.services import ServiceError, checked_text

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def default_scale(session: Session) -> Scale | None:
    """The structure's default scale (the oldest one when none is marked)."""
    return session.scalar(
        select(Scale).order_by(Scale.is_default.desc(), Scale.created_at).limit(1)
    )


def activity_frameworks(activity_id: uuid.UUID | None) -> Select:
    """Frameworks linked to an activité support (none when there is no activity)."""
    return (
        select(Framework)
        .join(ActivityFramework, ActivityFramework.framework_id == Framework.id)
        .where(ActivityFramework.activity_id == activity_id, Framework.is_archived.is_(False))
        .order_by(Framework.title)
    )


def one(session: Session, model, object_id):
    """The object of the active structure with this id, or None. A SELECT, never
    ``session.get``: the identity map could hold another structure's object."""
    if object_id is None:
        return None
    return session.scalar(select(model).where(model.id == object_id))


def _checked_refs(session: Session, activity_id, scale_id) -> None:
    if activity_id is not None and one(session, Activity, activity_id) is None:
        raise ServiceError("Activité inconnue.", field="activity_id")
    if scale_id is not None and one(session, Scale, scale_id) is None:
        raise ServiceError("Échelle inconnue.", field="scale_id")


def save_grid(
    session: Session,
    grid: Grid | None,
    *,
    name: str,
    description: str | None = None,
    activity_id: uuid.UUID | None = None,
    scale_id: uuid.UUID | None = None,
) -> Grid:
    """Create a grid (``grid`` None) or change its name, description, activity and scale."""
    name = checked_text(name, "name", missing="Donnez un nom à la grille.", max_len=MAX_NAME)
    _checked_refs(session, activity_id, scale_id)
    if scale_id is None:
        scale = default_scale(session)
        scale_id = scale.id if scale else None
    if grid is None:
        grid = Grid(name=name)
        session.add(grid)
    grid.name = name
    grid.description = (description or "").strip() or None
    grid.activity_id, grid.scale_id = activity_id, scale_id
    session.flush()
    return grid


def set_archived(session: Session, grid: Grid, archived: bool) -> Grid:
    grid.is_archived = archived
    session.flush()
    return grid


def source_label(competency: Competency) -> str:
    """« REAC ETI v2 — AT 1 — CP 3 »: where the item came from, frozen with it."""
    framework = competency.framework
    parts = [
        framework.title + (f" v{framework.version_number}" if framework.version_number > 1 else "")
    ]
    block = competency.block
    if block is not None:
        parts.append(block.label or block.title)
    if competency.label:
        parts.append(competency.label)
    return " — ".join(parts)[:300]


def _next_position(session: Session, grid: Grid) -> int:
    last = session.scalar(select(func.max(GridItem.position)).where(GridItem.grid_id == grid.id))
    return (last or 0) + 1


def add_competencies(
    session: Session, grid: Grid, competency_ids, *, with_criteria: bool = False
) -> list[GridItem]:
    """Add competencies (and, if asked, their criteria) at the end of the grid; a competency
    already in the grid (not removed) is not added twice."""
    ids = set(competency_ids)
    if not ids:
        raise ServiceError("Cochez au moins une compétence.", field="competency_ids")
    competencies = session.scalars(
        select(Competency)
        .where(Competency.id.in_(ids), Competency.is_archived.is_(False))
        .options(
            selectinload(Competency.framework),
            selectinload(Competency.block),
            selectinload(Competency.criteria),
        )
        .order_by(Competency.framework_id, Competency.position)
    ).all()
    if len(competencies) != len(ids):
        raise ServiceError("Une compétence choisie est introuvable.", field="competency_ids")
    present = set(
        session.scalars(
            select(GridItem.competency_id).where(
                GridItem.grid_id == grid.id,
                GridItem.criterion_id.is_(None),
                GridItem.is_archived.is_(False),
            )
        )
    )
    added = []

    def add(comp: Competency, label: str, criterion_id=None) -> None:
        added.append(
            GridItem(
                grid_id=grid.id,
                position=start + len(added),
                competency_id=comp.id,
                criterion_id=criterion_id,
                label=label,
                source_label=source_label(comp),
            )
        )

    start = _next_position(session, grid)
    for comp in competencies:
        if comp.id in present:
            continue
        add(comp, comp.title)
        for criterion in comp.criteria if with_criteria else ():
            if not criterion.is_archived:
                add(comp, criterion.text, criterion.id)
    session.add_all(added)
    session.flush()
    return added


def remove_item(session: Session, item: GridItem) -> GridItem:
    """Take an item out of the grid: archived, so past assessments keep their line."""
    item.is_archived = True
    session.flush()
    return item


def live_items(grid: Grid) -> list[GridItem]:
    return [i for i in grid.items if not i.is_archived]


def grids_for_activity(session: Session, activity_id: uuid.UUID | None) -> list[Grid]:
    """Grids in use, those of the given activity first."""
    grids = session.scalars(
        select(Grid).where(Grid.is_archived.is_(False)).order_by(Grid.name)
    ).all()
    return sorted(grids, key=lambda g: g.activity_id != activity_id)


def build_default_grid(session: Session, activity: Activity, name: str | None = None) -> Grid:
    """A grid with every competency of the activity's frameworks (the usual starting point)."""
    frameworks = session.scalars(activity_frameworks(activity.id)).all()
    if not frameworks:
        raise ServiceError(
            "Aucun référentiel n'est rattaché à cette activité : rattachez-en un d'abord.",
            field="activity_id",
        )
    grid = save_grid(session, None, name=name or f"Grille {activity.name}", activity_id=activity.id)
    ids = session.scalars(
        select(Competency.id).where(
            Competency.framework_id.in_([f.id for f in frameworks]),
            Competency.is_archived.is_(False),
        )
    ).all()
    if ids:
        add_competencies(session, grid, ids)
    return grid
