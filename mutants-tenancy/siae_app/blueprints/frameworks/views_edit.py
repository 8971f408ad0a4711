"""Write a structure's own framework: an overview page (blocks with counts), one edition page
per block (and one for the transversal competencies), and the POST actions of these pages.

Every action follows the same cycle (``submit``): with htmx the answer replaces the part of
the page that changed (200, or 422 with the message and what was typed), so the user stays
where they were; without JavaScript it redirects (303) back to the same place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.forms_common import FormFlow, form_page, see_other, submit
from siae_app.blueprints.frameworks import bp, loaders
from siae_app.blueprints.frameworks.forms import (
    ActionForm,
    CriterionForm,
    FrameworkForm,
    ItemForm,
    MoveForm,
)
from siae_app.blueprints.frameworks.views_browse import tree_of
from siae_app.extensions import db
from siae_app.models import Block, Competency, Criterion, Framework
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render, wants_fragment
from siae_app.services.frameworks import editing, queries, storage

NEW_FRAMEWORK = FormFlow(
    FrameworkForm,
    editing.create_framework,
    fields=("title", "description"),
    error_field="title",
    message="Référentiel « {0.title} » créé : ajoutez ses blocs et compétences.",
    back=".edit",
    back_with={"framework_id": "id"},
)

# ------------------------------------------------------------------ pages


@bp.route("/nouveau", methods=["GET", "POST"])
@require(Perm.FRAMEWORKS_MANAGE)
def new_framework():
    return NEW_FRAMEWORK.new(form_page("frameworks/new.html"))


def _if_editable(framework_id: uuid.UUID, page: Callable[[Framework], str]):
    """An edition page; an imported REAC sends back to its page, saying why."""
    fw = loaders.framework(framework_id)
    if not fw.is_read_only:
        return page(fw)
    flash(editing.READ_ONLY, "info")
    return see_other(".show", framework_id=framework_id)


def _overview(fw: Framework, failed: dict | None = None) -> str:
    fw = db.session.scalars(
        queries.tree_query()
        .where(Framework.id == fw.id)
        .execution_options(populate_existing=True)  # blocks in their order as stored now
    ).one()
    tree = tree_of(fw, include_archived=True)
    return render("frameworks/edit.html", block="edition", fw=fw, tree=tree, failed=failed)


def _block_page(fw: Framework, block: Block | None, failed: dict | None = None) -> str:
    comps = db.session.scalars(
        select(Competency)
        .where(Competency.framework_id == fw.id, Competency.block_id == (block and block.id))
        .order_by(Competency.position)
        .options(selectinload(Competency.criteria))
        .execution_options(populate_existing=True)
    ).all()
    context = {"fw": fw, "group": block, "comps": comps, "failed": failed}
    return render("frameworks/edit_block.html", block="edition", **context)


@bp.get("/<uuid:framework_id>/edition")
@require(Perm.FRAMEWORKS_MANAGE)
def edit(framework_id: uuid.UUID):
    return _if_editable(framework_id, _overview)


@bp.get("/<uuid:framework_id>/edition/blocs/<uuid:block_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def edit_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    return _if_editable(framework_id, lambda fw: _block_page(fw, loaders.block(fw, block_id)))


@bp.get("/<uuid:framework_id>/edition/transversales")
@require(Perm.FRAMEWORKS_MANAGE)
def edit_transversal(framework_id: uuid.UUID):
    return _if_editable(framework_id, lambda fw: _block_page(fw, None))


@bp.post("/<uuid:framework_id>/dupliquer")
@require(Perm.FRAMEWORKS_MANAGE)
def duplicate(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id, tree=True)
    copy = storage.duplicate(db.session, fw)
    return see_other(".edit", f"Copie modifiable créée : « {copy.title} ».", framework_id=copy.id)


@bp.post("/<uuid:framework_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    editing.set_archived(db.session, fw, not fw.is_archived)
    return see_other(".show", _ARCHIVED_MESSAGE[fw.is_archived], framework_id=fw.id)


_ARCHIVED_MESSAGE = {True: "Référentiel archivé.", False: "Référentiel réactivé."}


# ------------------------------------------------------------------ the actions of the pages


@dataclass(frozen=True)
class Action:
    """One POST of the edition pages, run on the framework and the object of its URL (the
    framework itself when the URL names no other).

    ``run(fw, obj, form)`` calls the service; ``key`` names the inline form that shows a
    refusal; ``answer`` says what the action changed: "overview" (the blocks page), "page"
    (the block's page) or "item" (one competency of the block's page, with its criteria).
    """

    form: type[FlaskForm]
    run: Callable
    key: Callable[[object], str]
    answer: str
    error_field: str = "title"


def _title_and_description(service):
    return lambda fw, obj, form: service(
        db.session, obj, form.title.data or "", form.description.data
    )


def _new_competency(fw, block, form):
    return editing.add_competency(
        db.session, fw, block, form.title.data or "", form.description.data
    )


def _move(fw, obj, form):
    editing.move(db.session, obj, form.direction.data)


def _toggle_archive(fw, obj, form):
    editing.set_archived(db.session, obj, not obj.is_archived)


def _criterion(fw, crit, form):
    """A criterion's form saves its text, or moves or archives it (the button pressed)."""
    op = form.op.data or "save"
    if op == "save":
        editing.update_criterion(db.session, crit, form.text.data or "")
    elif op == "archive":
        _toggle_archive(fw, crit, form)
    else:
        editing.move(db.session, crit, op)


def _item_key(obj) -> str:
    prefix = {Block: "block", Competency: "comp", Criterion: "crit"}[type(obj)]
    return f"{prefix}-{obj.id}"


def _moved(answer: str) -> Action:
    return Action(MoveForm, _move, _item_key, answer, "direction")


def _archived(answer: str) -> Action:
    return Action(ActionForm, _toggle_archive, _item_key, answer, "action")


def _where(obj) -> tuple[Block | None, Competency | None]:
    """The block page an object is edited on, and its competency (None for a block)."""
    if isinstance(obj, Criterion):
        obj = obj.competency
    if isinstance(obj, Competency):
        return obj.block, obj
    return (obj, None) if isinstance(obj, Block) else (None, None)


def _failure(action: Action, obj, form) -> dict:
    message = next(iter(e for errors in form.errors.values() for e in errors), "")
    return {"key": action.key(obj), "message": message, "values": request.form.to_dict()}


def _answer(action: Action, fw: Framework, obj, failed: dict | None = None):
    """The part of the page the action changed (htmx), or the page itself."""
    if action.answer == "overview":
        return _overview(fw, failed)
    block, comp = _where(obj)
    if action.answer == "item" and comp is not None and wants_fragment():
        return render_template("frameworks/_edit_competency.html", fw=fw, c=comp, failed=failed)
    return _block_page(fw, block, failed)


def _done(action: Action, fw: Framework, obj):
    if wants_fragment():
        db.session.expire_all()  # positions and lists as stored now
        return _answer(action, fw, obj)
    if action.answer == "overview":
        anchor = f"bloc-{obj.id}" if isinstance(obj, Block) else ""
        return see_other(".edit", anchor=anchor, framework_id=fw.id)
    block, comp = _where(obj)
    anchor = f"comp-{comp.id}" if comp is not None else "edition"
    if block is None:
        return see_other(".edit_transversal", anchor=anchor, framework_id=fw.id)
    return see_other(".edit_block", anchor=anchor, framework_id=fw.id, block_id=block.id)


def _run(action: Action, fw: Framework, obj=None):
    """``action`` on ``obj`` (by default the framework), in the ``submit`` cycle."""
    obj = fw if obj is None else obj
    form = action.form()
    return submit(
        form,
        lambda: action.run(fw, obj, form),
        done=lambda _result: _done(action, fw, obj),
        page=lambda: _answer(action, fw, obj, _failure(action, obj, form)),
        error_field=action.error_field,
    )


# The framework's own fields and its blocks (the overview page).


@bp.post("/<uuid:framework_id>/modifier")
@require(Perm.FRAMEWORKS_MANAGE)
def update(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    saved = _title_and_description(editing.update_framework)
    return _run(Action(ItemForm, saved, lambda obj: "framework", "overview"), fw)


@bp.post("/<uuid:framework_id>/blocs")
@require(Perm.FRAMEWORKS_MANAGE)
def add_block(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    added = _title_and_description(editing.add_block)
    return _run(Action(ItemForm, added, lambda obj: "new-block", "overview"), fw)


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_moved("overview"), fw, loaders.block(fw, block_id))


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_archived("overview"), fw, loaders.block(fw, block_id))


# A block's page: the block, its competencies (or the transversal ones).


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    saved = _title_and_description(editing.update_block)
    return _run(Action(ItemForm, saved, _item_key, "page"), fw, loaders.block(fw, block_id))


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/competences")
@require(Perm.FRAMEWORKS_MANAGE)
def add_competency(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    action = Action(ItemForm, _new_competency, lambda obj: f"new-comp-{obj.id}", "page")
    return _run(action, fw, loaders.block(fw, block_id))


@bp.post("/<uuid:framework_id>/transversales")
@require(Perm.FRAMEWORKS_MANAGE)
def add_transversal(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)

    def added(fw, _fw, form):
        return _new_competency(fw, None, form)

    return _run(Action(ItemForm, added, lambda obj: "new-transversal", "page"), fw)


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_moved("page"), fw, loaders.competency(fw, competency_id))


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_archived("page"), fw, loaders.competency(fw, competency_id))


# One competency of a block's page: its texts and its criteria.


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    saved = _title_and_description(editing.update_competency)
    action = Action(ItemForm, saved, _item_key, "item")
    return _run(action, fw, loaders.competency(fw, competency_id))


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/criteres")
@require(Perm.FRAMEWORKS_MANAGE)
def add_criterion(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)

    def added(fw, comp, form):
        return editing.add_criterion(db.session, comp, form.text.data or "")

    action = Action(CriterionForm, added, lambda obj: f"new-crit-{obj.id}", "item", "text")
    return _run(action, fw, loaders.competency(fw, competency_id))


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    action = Action(CriterionForm, _criterion, _item_key, "item", "text")
    return _run(action, fw, loaders.criterion(fw, criterion_id))


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_moved("item"), fw, loaders.criterion(fw, criterion_id))


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _run(_archived("item"), fw, loaders.criterion(fw, criterion_id))
