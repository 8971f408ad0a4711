"""Write a structure's own framework: blocks, competencies, criteria; reorder, archive."""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for

from siae_app.blueprints.frameworks import bp, loaders
from siae_app.blueprints.frameworks.forms import FrameworkForm
from siae_app.blueprints.frameworks.views_browse import tree_of
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.frameworks import editing, storage


@bp.route("/nouveau", methods=["GET", "POST"])
@require(Perm.FRAMEWORKS_MANAGE)
def new_framework():
    form = FrameworkForm()
    if form.validate_on_submit():
        fw = editing.create_framework(db.session, form.title.data, form.description.data)
        flash(f"Référentiel « {fw.title} » créé : ajoutez ses blocs et compétences.", "success")
        return redirect(url_for(".edit", framework_id=fw.id), code=303)
    return render("frameworks/new.html", form=form), 422 if form.errors else 200


def _edition(fw, failed: dict | None = None, status: int = 200):
    fw = loaders.framework(fw.id, tree=True)
    return render(
        "frameworks/edit.html", fw=fw, tree=tree_of(fw, include_archived=True), failed=failed
    ), status


def _back(fw, anchor: str = ""):
    return redirect(url_for(".edit", framework_id=fw.id) + (f"#{anchor}" if anchor else ""), 303)


def _attempt(fw, key: str, action, anchor: str = ""):
    """Run ``action``; on a refusal re-render the page with the typed values and the message."""
    try:
        action()
    except ServiceError as exc:
        failed = {"key": key, "message": exc.message, "values": request.form.to_dict()}
        return _edition(fw, failed, 422)
    return _back(fw, anchor)


@bp.get("/<uuid:framework_id>/edition")
@require(Perm.FRAMEWORKS_MANAGE)
def edit(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    if fw.is_read_only:
        flash(editing.READ_ONLY, "info")
        return redirect(url_for(".show", framework_id=fw.id), code=303)
    return _edition(fw)


@bp.post("/<uuid:framework_id>/modifier")
@require(Perm.FRAMEWORKS_MANAGE)
def update(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    return _attempt(
        fw,
        "framework",
        lambda: editing.update_framework(
            db.session, fw, request.form.get("title", ""), request.form.get("description")
        ),
    )


@bp.post("/<uuid:framework_id>/dupliquer")
@require(Perm.FRAMEWORKS_MANAGE)
def duplicate(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id, tree=True)
    copy = storage.duplicate(db.session, fw)
    flash(f"Copie modifiable créée : « {copy.title} ».", "success")
    return redirect(url_for(".edit", framework_id=copy.id), code=303)


@bp.post("/<uuid:framework_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    editing.set_archived(db.session, fw, not fw.is_archived)
    flash(f"Référentiel {'archivé' if fw.is_archived else 'réactivé'}.", "success")
    return redirect(url_for(".show", framework_id=fw.id), code=303)


@bp.post("/<uuid:framework_id>/blocs")
@require(Perm.FRAMEWORKS_MANAGE)
def add_block(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    form = request.form
    return _attempt(
        fw,
        "new-block",
        lambda: editing.add_block(db.session, fw, form.get("title", ""), form.get("description")),
        "nouveau-bloc",
    )


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    block = loaders.block(fw, block_id)
    form = request.form
    return _attempt(
        fw,
        f"block-{block.id}",
        lambda: editing.update_block(
            db.session, block, form.get("title", ""), form.get("description")
        ),
        f"bloc-{block.id}",
    )


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/competences")
@require(Perm.FRAMEWORKS_MANAGE)
def add_competency(framework_id: uuid.UUID, block_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    block = loaders.block(fw, block_id)
    form = request.form
    return _attempt(
        fw,
        f"new-comp-{block.id}",
        lambda: editing.add_competency(
            db.session, fw, block, form.get("title", ""), form.get("description")
        ),
        f"bloc-{block.id}",
    )


@bp.post("/<uuid:framework_id>/transversales")
@require(Perm.FRAMEWORKS_MANAGE)
def add_transversal(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    form = request.form
    return _attempt(
        fw,
        "new-transversal",
        lambda: editing.add_competency(
            db.session, fw, None, form.get("title", ""), form.get("description")
        ),
        "transversales",
    )


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    comp = loaders.competency(fw, competency_id)
    form = request.form
    return _attempt(
        fw,
        f"comp-{comp.id}",
        lambda: editing.update_competency(
            db.session, comp, form.get("title", ""), form.get("description")
        ),
        f"comp-{comp.id}",
    )


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/criteres")
@require(Perm.FRAMEWORKS_MANAGE)
def add_criterion(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    comp = loaders.competency(fw, competency_id)
    return _attempt(
        fw,
        f"new-crit-{comp.id}",
        lambda: editing.add_criterion(db.session, comp, request.form.get("text", "")),
        f"comp-{comp.id}",
    )


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    crit = loaders.criterion(fw, criterion_id)
    return _attempt(
        fw,
        f"crit-{crit.id}",
        lambda: editing.update_criterion(db.session, crit, request.form.get("text", "")),
        f"crit-{crit.id}",
    )


_LOADERS = {
    "blocs": (loaders.block, "bloc"),
    "competences": (loaders.competency, "comp"),
    "criteres": (loaders.criterion, "crit"),
}


def _item_action(framework_id: uuid.UUID, kind: str, item_id: uuid.UUID, action: str):
    fw = loaders.framework(framework_id)
    load, anchor = _LOADERS[kind]
    obj = load(fw, item_id)
    if action == "move":
        run = lambda: editing.move(db.session, obj, request.form.get("direction", ""))  # noqa: E731
    else:
        run = lambda: editing.set_archived(db.session, obj, not obj.is_archived)  # noqa: E731
    return _attempt(fw, f"{anchor}-{obj.id}", run, f"{anchor}-{obj.id}")


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    return _item_action(framework_id, "blocs", block_id, "move")


@bp.post("/<uuid:framework_id>/blocs/<uuid:block_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_block(framework_id: uuid.UUID, block_id: uuid.UUID):
    return _item_action(framework_id, "blocs", block_id, "archive")


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    return _item_action(framework_id, "competences", competency_id, "move")


@bp.post("/<uuid:framework_id>/competences/<uuid:competency_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    return _item_action(framework_id, "competences", competency_id, "archive")


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>/ordre")
@require(Perm.FRAMEWORKS_MANAGE)
def move_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    return _item_action(framework_id, "criteres", criterion_id, "move")


@bp.post("/<uuid:framework_id>/criteres/<uuid:criterion_id>/archiver")
@require(Perm.FRAMEWORKS_MANAGE)
def archive_criterion(framework_id: uuid.UUID, criterion_id: uuid.UUID):
    return _item_action(framework_id, "criteres", criterion_id, "archive")
