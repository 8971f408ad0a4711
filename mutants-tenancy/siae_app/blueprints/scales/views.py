"""Evaluation scales: list, edit levels (see services/scales.py)."""

from __future__ import annotations

import uuid

from flask import url_for
from flask_wtf import FlaskForm

from siae_app.blueprints.forms_common import see_other, submit
from siae_app.blueprints.scales import bp, loaders
from siae_app.blueprints.scales.forms import (
    ConfirmDeleteForm,
    LevelForm,
    MoveLevelForm,
    ScaleForm,
    ScaleSettingsForm,
)
from siae_app.extensions import db
from siae_app.models import Level, Scale
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services import scales as scale_service

NEW_LEVEL_PREFIX = "nouveau-niveau"


def _with_ids(form: FlaskForm, prefix: str) -> FlaskForm:
    """Unique HTML ids for one of several forms on a page; field names stay unprefixed."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
        field.label.field_id = field.id
    return form


def _level_prefix(level: Level) -> str:
    return f"niveau-{level.id}"


def _new_level_form(submitted: bool = False) -> LevelForm:
    form = LevelForm() if submitted else LevelForm(formdata=None, color="#6b7280")
    return _with_ids(form, NEW_LEVEL_PREFIX)


def _render_scale(
    scale: Scale,
    *,
    settings_form: ScaleSettingsForm | None = None,
    new_level_form: LevelForm | None = None,
    level_form: tuple[uuid.UUID, LevelForm] | None = None,
    error: str | None = None,
    status: int = 200,
):
    """The scale page; on an error, the failing form (with the typed values) replaces its twin."""
    level_forms = {}
    if can(Perm.FRAMEWORKS_MANAGE):
        if settings_form is None:
            settings_form = ScaleSettingsForm(formdata=None, obj=scale)
        if new_level_form is None:
            new_level_form = _new_level_form()
        level_forms = {
            lv.id: _with_ids(LevelForm(formdata=None, obj=lv), _level_prefix(lv))
            for lv in scale.levels
        }
        if level_form is not None:
            level_forms[level_form[0]] = level_form[1]
    page = render(
        "scales/scale.html",
        scale=scale,
        settings_form=settings_form,
        new_level_form=new_level_form,
        level_forms=level_forms,
        error=error,
    )
    return page, status


def _back_to(scale: Scale, message: str | None = None):
    return see_other(".scale", message, scale_id=scale.id)


def _save_level(scale: Scale, form: LevelForm, save, done_word: str, **failed_form):
    """Add or edit a level; a refusal shows the scale page with the failing form open."""
    return submit(
        form,
        save,
        done=lambda level: _back_to(scale, f"Niveau « {level.label} » {done_word}."),
        page=lambda: _render_scale(scale, **failed_form)[0],
        error_field="label",
    )


def _level_values(form: LevelForm) -> tuple:
    return form.label.data, form.code.data, form.color.data, form.counts_as_acquired.data


@bp.get("/")
@require(Perm.FRAMEWORKS_VIEW)
def index():
    scales = db.session.scalars(loaders.scale_query().order_by(Scale.is_default.desc(), Scale.name))
    return render("scales/index.html", scales=scales.all())


@bp.route("/nouvelle", methods=["GET", "POST"])
@require(Perm.FRAMEWORKS_MANAGE)
def new_scale():
    form = ScaleForm()
    page = lambda: render("scales/new.html", form=form)  # noqa: E731
    return submit(
        form, lambda: scale_service.create_scale(db.session, form.name.data), _created, page, "name"
    )


def _created(scale: Scale):
    return _back_to(
        scale,
        f"Échelle « {scale.name} » créée avec les niveaux par défaut : adaptez-les ci-dessous.",
    )


@bp.get("/<uuid:scale_id>")
@require(Perm.FRAMEWORKS_VIEW)
def scale(scale_id: uuid.UUID):
    return _render_scale(loaders.scale(scale_id))


def _save_settings(scale: Scale, form: ScaleSettingsForm) -> Scale:
    scale_service.rename_scale(db.session, scale, form.name.data)
    if form.is_default.data and not scale.is_default:
        scale_service.set_default_scale(db.session, scale)
    return scale


@bp.post("/<uuid:scale_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_scale(scale_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    form = ScaleSettingsForm()
    return submit(
        form,
        lambda: _save_settings(scale, form),
        done=lambda saved: _back_to(saved, f"Échelle « {saved.name} » enregistrée."),
        page=lambda: _render_scale(scale, settings_form=form)[0],
        error_field="name",
    )


def _confirm_then_delete(scale: Scale, level: Level | None, check, delete, action: str, done):
    """The delete button first shows a confirmation page; its form deletes (confirm=oui)."""
    try:
        if not ConfirmDeleteForm().confirmed:
            check(db.session, level or scale)
            return render("scales/confirm_delete.html", scale=scale, level=level, action=action)
        delete(db.session, level or scale)
    except ServiceError as exc:
        return _render_scale(scale, error=exc.message, status=422)
    return done()


@bp.post("/<uuid:scale_id>/supprimer")
@require(Perm.FRAMEWORKS_MANAGE)
def delete_scale(scale_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    return _confirm_then_delete(
        scale,
        None,
        scale_service.check_scale_deletable,
        scale_service.delete_scale,
        url_for(".delete_scale", scale_id=scale.id),
        lambda name=scale.name: see_other(".index", f"Échelle « {name} » supprimée."),
    )


@bp.post("/<uuid:scale_id>/niveaux")
@require(Perm.FRAMEWORKS_MANAGE)
def add_level(scale_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    form = _new_level_form(submitted=True)
    return _save_level(
        scale,
        form,
        lambda: scale_service.add_level(db.session, scale, *_level_values(form)),
        "ajouté",
        new_level_form=form,
    )


@bp.post("/<uuid:scale_id>/niveaux/<uuid:level_id>")
@require(Perm.FRAMEWORKS_MANAGE)
def update_level(scale_id: uuid.UUID, level_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    level = loaders.level(scale, level_id)
    form = _with_ids(LevelForm(), _level_prefix(level))
    return _save_level(
        scale,
        form,
        lambda: scale_service.update_level(db.session, level, *_level_values(form)),
        "enregistré",
        level_form=(level.id, form),
    )


@bp.post("/<uuid:scale_id>/niveaux/<uuid:level_id>/deplacer")
@require(Perm.FRAMEWORKS_MANAGE)
def move_level(scale_id: uuid.UUID, level_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    level = loaders.level(scale, level_id)
    form = MoveLevelForm()
    if not form.validate_on_submit():
        return _render_scale(scale, error="Sens de déplacement inconnu.", status=422)
    try:
        scale_service.move_level(db.session, level, form.direction.data)
    except ServiceError as exc:
        return _render_scale(scale, error=exc.message, status=422)
    where = "monté" if form.direction.data == "up" else "descendu"
    return _back_to(scale, f"Niveau « {level.label} » {where} d'un rang.")


@bp.post("/<uuid:scale_id>/niveaux/<uuid:level_id>/supprimer")
@require(Perm.FRAMEWORKS_MANAGE)
def delete_level(scale_id: uuid.UUID, level_id: uuid.UUID):
    scale = loaders.scale(scale_id)
    level = loaders.level(scale, level_id)
    return _confirm_then_delete(
        scale,
        level,
        scale_service.check_level_deletable,
        scale_service.delete_level,
        url_for(".delete_level", scale_id=scale.id, level_id=level.id),
        lambda label=level.label: _back_to(scale, f"Niveau « {label} » supprimé."),
    )
