"""Import of salariés: upload → preview (line-numbered errors) → confirm (all or nothing)."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from sqlalchemy import select

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.forms import ConfirmImportForm, ImportForm
from siae_app.blueprints.forms_common import put_error, see_other, uuid_or_none
from siae_app.extensions import db
from siae_app.models import EmployeeImport
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.employees import imports


def _page(form, status: int = 200, **ctx):
    limits = {"max_lines": imports.MAX_LINES, "max_mo": imports.MAX_BYTES // (1024 * 1024)}
    return render("employees/import.html", form=form, **limits, **ctx), status


@bp.get("/import")
@require(Perm.EMPLOYEES_EDIT)
def import_upload():
    return _page(ImportForm())


@bp.post("/import")
@require(Perm.EMPLOYEES_EDIT)
def import_preview():
    form = ImportForm()
    upload = form.file.data
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = [*form.file.errors, "Choisissez un fichier .csv ou .xlsx."]
        return _page(form, 422)
    try:
        # One byte past the limit is enough to refuse; the rest is never read.
        data = upload.read(imports.MAX_BYTES + 1)
        draft, preview = imports.preview(db.session, g.membership, upload.filename, data)
    except ServiceError as exc:
        put_error(form, exc, "file")
        return _page(form, 422)
    confirm_form = ConfirmImportForm(import_id=str(draft.id))
    # The draft is kept only when it can be confirmed; with errors nothing stays behind.
    status = 200
    if preview.errors:
        db.session.delete(draft)
        status = 422
    return _page(form, status, preview=preview, confirm_form=confirm_form, filename=upload.filename)


def _own_draft(form) -> EmployeeImport | None:
    draft_id = uuid_or_none(form.import_id.data)
    if draft_id is None:
        return None
    return db.session.scalar(
        select(EmployeeImport).where(
            EmployeeImport.id == draft_id, EmployeeImport.membership_id == g.membership.id
        )
    )


@bp.post("/import/confirmer")
@require(Perm.EMPLOYEES_EDIT)
def import_confirm():
    form = ConfirmImportForm()
    draft = _own_draft(form) if form.validate_on_submit() else None
    if draft is None:
        flash("Cet import n'existe plus : envoyez le fichier de nouveau.", "error")
        return redirect(url_for(".import_upload"), code=303)
    try:
        created = imports.confirm(db.session, g.membership, draft)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".import_upload"), code=303)
    return see_other(".index", f"{created} salarié(s) importé(s).")


@bp.post("/import/abandonner")
@require(Perm.EMPLOYEES_EDIT)
def import_cancel():
    form = ConfirmImportForm()
    draft = _own_draft(form) if form.validate_on_submit() else None
    if draft is not None:
        db.session.delete(draft)
    return see_other(".import_upload", "Import abandonné : aucun salarié créé.")
