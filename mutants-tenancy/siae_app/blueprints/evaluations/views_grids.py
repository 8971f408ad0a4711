"""Grilles d'évaluation (coordination): list, create (filled from the activity's frameworks),
edit, add competencies, remove an item, archive."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.evaluations import bp, loaders
from siae_app.blueprints.evaluations.forms import AddItemsForm, GridForm, NewGridForm
from siae_app.blueprints.forms_common import (
    act,
    choices,
    edit_form,
    see_other,
    submit,
    uuid_or_none,
)
from siae_app.extensions import db
from siae_app.models import Activity, Competency, Framework, Grid, Scale
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.evaluations import grids as service


def _grid_choices(form: GridForm) -> GridForm:
    activities = db.session.scalars(
        select(Activity).where(Activity.is_archived.is_(False)).order_by(Activity.name)
    ).all()
    form.activity_id.choices = choices(
        [("", "— Aucune (grille libre) —")] + [(a.id, a.name) for a in activities]
    )
    scales = db.session.scalars(select(Scale).order_by(Scale.is_default.desc(), Scale.name))
    form.scale_id.choices = choices((s.id, s.name) for s in scales)
    for select_field in (form.activity_id, form.scale_id):  # ids from the object: as text
        select_field.data = str(select_field.data) if select_field.data else ""
    return form


def _list_page(form: NewGridForm | None = None) -> str:
    rows = db.session.scalars(
        select(Grid)
        .options(selectinload(Grid.activity), selectinload(Grid.items))
        .order_by(Grid.is_archived, Grid.name)
    ).all()
    return render("evaluations/grids.html", grids=rows, form=form or _grid_choices(NewGridForm()))


@bp.get("/grilles")
@require(Perm.GRIDS_MANAGE)
def grids():
    return _list_page()


def _create(form: NewGridForm) -> Grid:
    activity_id = uuid_or_none(form.activity_id.data)
    if form.fill.data and activity_id is not None:
        activity = service.one(db.session, Activity, activity_id)
        if activity is not None:
            grid = service.build_default_grid(db.session, activity, form.name.data)
            grid.description = form.description.data or None
            return grid
    return service.save_grid(
        db.session,
        None,
        name=form.name.data,
        description=form.description.data,
        activity_id=activity_id,
        scale_id=uuid_or_none(form.scale_id.data),
    )


@bp.post("/grilles")
@require(Perm.GRIDS_MANAGE)
def create_grid():
    form = _grid_choices(NewGridForm())
    return submit(
        form,
        lambda: _create(form),
        done=lambda grid: see_other(".grid", "Grille créée.", grid_id=grid.id),
        page=lambda: _list_page(form),
        error_field="name",
    )


def _framework_tree(grid: Grid) -> list[Framework]:
    """Frameworks offered for adding: the grid's activity's first, then the others."""
    frameworks = db.session.scalars(
        select(Framework)
        .where(Framework.is_archived.is_(False))
        .options(selectinload(Framework.competencies).selectinload(Competency.block))
        .order_by(Framework.title)
    ).all()
    linked = set(
        db.session.scalars(
            service.activity_frameworks(grid.activity_id).with_only_columns(Framework.id)
        )
    )
    return sorted(frameworks, key=lambda f: f.id not in linked)


def _grid_page(grid: Grid, form: GridForm | None = None, add_form: AddItemsForm | None = None):
    in_grid = {i.competency_id for i in grid.items if not i.is_archived}
    return render(
        "evaluations/grid.html",
        grid=grid,
        grid_items=service.live_items(grid),
        form=form or _grid_choices(edit_form(GridForm, grid)),
        add_form=add_form or AddItemsForm(),
        frameworks=_framework_tree(grid),
        in_grid=in_grid,
    )


@bp.get("/grilles/<uuid:grid_id>")
@require(Perm.GRIDS_MANAGE)
def grid(grid_id: uuid.UUID):
    return _grid_page(loaders.grid(grid_id))


@bp.post("/grilles/<uuid:grid_id>")
@require(Perm.GRIDS_MANAGE)
def edit_grid(grid_id: uuid.UUID):
    grid = loaders.grid(grid_id)
    form = _grid_choices(edit_form(GridForm, grid))
    return submit(
        form,
        lambda: service.save_grid(
            db.session,
            grid,
            name=form.name.data,
            description=form.description.data,
            activity_id=uuid_or_none(form.activity_id.data),
            scale_id=uuid_or_none(form.scale_id.data),
        ),
        done=lambda saved: see_other(".grid", "Grille enregistrée.", grid_id=saved.id),
        page=lambda: _grid_page(grid, form=form),
        error_field="name",
    )


@bp.post("/grilles/<uuid:grid_id>/competences")
@require(Perm.GRIDS_MANAGE)
def add_items(grid_id: uuid.UUID):
    grid = loaders.grid(grid_id)
    form = AddItemsForm()
    ids = [i for i in (uuid_or_none(v) for v in form.competency_ids.data or []) if i]
    return submit(
        form,
        lambda: service.add_competencies(
            db.session, grid, ids, with_criteria=bool(form.with_criteria.data)
        ),
        done=lambda added: see_other(
            ".grid", f"{len(added)} élément(s) ajouté(s) à la grille.", grid_id=grid.id
        ),
        page=lambda: _grid_page(grid, add_form=form),
        error_field="competency_ids",
    )


@bp.post("/grilles/<uuid:grid_id>/elements/<uuid:grid_item_id>/retirer")
@require(Perm.GRIDS_MANAGE)
def remove_item(grid_id: uuid.UUID, grid_item_id: uuid.UUID):
    grid = loaders.grid(grid_id)
    item = loaders.grid_item(grid, grid_item_id)
    return act(
        lambda: service.remove_item(db.session, item),
        "Élément retiré de la grille (les évaluations déjà faites le gardent).",
        ".grid",
        grid_id=grid.id,
    )


@bp.post("/grilles/<uuid:grid_id>/archiver")
@require(Perm.GRIDS_MANAGE)
def archive_grid(grid_id: uuid.UUID):
    grid = loaders.grid(grid_id)
    archived = not grid.is_archived
    return act(
        lambda: service.set_archived(db.session, grid, archived),
        "Grille archivée." if archived else "Grille remise en service.",
        ".grid",
        grid_id=grid.id,
    )
