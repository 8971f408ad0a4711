"""Import a framework: upload, preview (nothing saved yet), confirm."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, url_for
from sqlalchemy import select

from siae_app.blueprints.frameworks import bp, loaders
from siae_app.blueprints.frameworks.forms import UploadForm
from siae_app.extensions import db
from siae_app.models import Framework
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.frameworks import imports, limits, storage
from siae_app.services.frameworks.exchange.csv_reader import MAX_CSV_LINES
from siae_app.services.frameworks.exchange.json_reader import MAX_JSON_CONTAINERS
from siae_app.services.frameworks.upload import MAX_BYTES, read_upload

# Stated in the help page; enforced by the readers (see docs/framework-format.md).
LIMITS = {
    "blocks": limits.MAX_BLOCKS,
    "competencies": limits.MAX_COMPETENCIES,
    "criteria": limits.MAX_CRITERIA,
    "csv_lines": MAX_CSV_LINES,
    "json_containers": MAX_JSON_CONTAINERS,
}


@bp.route("/importer", methods=["GET", "POST"])
@require(Perm.FRAMEWORKS_MANAGE)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        if file is None or not getattr(file, "filename", ""):
            form.file.errors.append("Choisissez un fichier à importer.")
        else:
            data = file.read(MAX_BYTES + 1)
            try:
                source, parsed = read_upload(file.filename, data)
            except ServiceError as exc:
                form.file.errors.append(exc.message)
            else:
                draft = imports.create_import(
                    db.session, g.membership, file.filename, source, parsed
                )
                return redirect(url_for(".preview", import_id=draft.id), code=303)
    return render("frameworks/upload.html", form=form), 422 if form.errors else 200


@bp.get("/importer/<uuid:import_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def preview(import_id: uuid.UUID):
    draft = loaders.draft(import_id)
    if draft.framework_id is not None:
        return redirect(url_for(".show", framework_id=draft.framework_id), code=303)
    parsed = imports.draft_tree(draft)
    previous = identical = None
    if draft.source == "reac":
        identical = storage.identical_version(db.session, parsed)
        previous = db.session.scalar(
            select(Framework)
            .where(Framework.family_key == storage.reac_family(parsed))
            .order_by(Framework.version_number.desc())
            .limit(1)
        )
    versions = {"previous": previous, "identical": identical}
    return render("frameworks/preview.html", draft=draft, parsed=parsed, **versions)


@bp.get("/aide/format")
@require(Perm.FRAMEWORKS_VIEW)
def format_help():
    return render("frameworks/format_help.html", limits=LIMITS)


@bp.post("/importer/<uuid:import_id>/confirmer")
@require(Perm.FRAMEWORKS_MANAGE)
def confirm(import_id: uuid.UUID):
    draft = loaders.draft(import_id)
    try:
        fw = imports.confirm_import(db.session, draft)
    except ServiceError as exc:
        flash(exc.message, "info")
        return redirect(url_for(".show", framework_id=draft.framework_id), code=303)
    flash(f"Référentiel « {fw.title} » enregistré (version {fw.version_number}).", "success")
    return redirect(url_for(".show", framework_id=fw.id), code=303)
