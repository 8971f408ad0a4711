"""Registre des traitements: the structure's register of personal data (page and PDF) and
the direction's form that lengthens its retention durations."""

from __future__ import annotations

from datetime import date

from flask import g, request
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import put_error, see_other, strip, text_checks
from siae_app.blueprints.privacy import bp
from siae_app.blueprints.privacy.forms import DurationsForm, months_name, motif_name
from siae_app.blueprints.routes_common import GET_POST, download
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.privacy import notice
from siae_app.privacy.registry import SETTABLE
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.pdf import render_pdf
from siae_app.services.personal_space import access as space_access
from siae_app.services.privacy import register as service
from siae_app.services.privacy import retention

TITLE = "Registre des traitements"
NOTICE_MAX = 12000


def _context() -> dict:
    return {
        "reg": service.register(db.session, g.structure),
        "ending_label": service.ending_label,
        "months_fr": service.months_fr,
        "today": date.today(),
    }


@bp.get("/registre")
@require(Perm.PRIVACY_VIEW)
def register():
    return render("privacy/register.html", **_context())


@bp.get("/registre.pdf")
@require(Perm.PRIVACY_VIEW)
def register_pdf():
    context = _context()
    content = render_pdf(
        "pdf/register.html",
        structure=g.structure,
        title=f"{TITLE} — {g.structure.name}",
        **context,
    )
    name = f"{TITLE} - {g.structure.name} - {context['today'].isoformat()}"
    return download(content, "application/pdf", name, "pdf")


def _durations_page(form: DurationsForm) -> str:
    return render(
        "privacy/durations.html",
        form=form,
        rules=[
            (d, form[months_name(rule)], form[motif_name(rule)])
            for rule, d in retention.durations(db.session, g.structure.id).items()
        ],
        months_fr=service.months_fr,
        of_fr=service.of_fr,
    )


def _save(form: DurationsForm) -> bool:
    """Every rule's duration; each refusal goes to its own field (the request's rollback
    undoes the others when one is refused)."""
    saved = True
    for rule in SETTABLE:
        try:
            retention.lengthen(
                db.session,
                g.structure.id,
                rule,
                form[months_name(rule)].data,
                form[motif_name(rule)].data,
                g.membership,
            )
        except ServiceError as exc:
            field = motif_name(rule) if exc.field == "motif" else months_name(rule)
            put_error(form, ServiceError(exc.message, field=field), field)
            saved = False
    try:
        space_access.set_months_after_exit(db.session, g.structure, form.personal_space_months.data)
    except ServiceError as exc:
        put_error(form, exc, "personal_space_months")
        saved = False
    return saved


@bp.route("/registre/durees", methods=GET_POST)
@require(Perm.PRIVACY_MANAGE)
def durations():
    if request.method == "GET":
        current = retention.durations(db.session, g.structure.id)
        data = {}
        for rule, d in current.items():
            data[months_name(rule)] = d.months
            data[motif_name(rule)] = d.setting.motif if d.setting else ""
        data["personal_space_months"] = g.structure.personal_space_months
        return _durations_page(DurationsForm(data=data))
    form = DurationsForm()
    if form.validate() and _save(form):
        return see_other(".register", "Durées enregistrées.")
    return _durations_page(form), 422


class NoticeForm(FlaskForm):
    text = TextAreaField(
        "Texte de la notice",
        filters=[strip],
        validators=[Optional(), *text_checks(NOTICE_MAX)],
        description="Vide : le modèle proposé. Les mots entre accolades sont remplacés.",
        render_kw={"rows": 18},
    )


def _notice_page(form: NoticeForm, text: str) -> str:
    months = {r: d.months for r, d in retention.durations(db.session, g.structure.id).items()}
    return render(
        "privacy/notice.html",
        form=form,
        preview=notice.fill(text or notice.DEFAULT_NOTICE, g.structure, months),
        placeholders=notice.PLACEHOLDERS,
        is_default=not (g.structure.privacy_notice or "").strip(),
    )


@bp.route("/registre/notice", methods=GET_POST)
@require(Perm.PRIVACY_MANAGE)
def notice_text():
    """The information notice handed at accueil: the direction's text, and its preview."""
    if request.method == "GET":
        current = g.structure.privacy_notice or notice.DEFAULT_NOTICE
        return _notice_page(NoticeForm(data={"text": current}), current)
    form = NoticeForm()
    if not form.validate():
        return _notice_page(form, form.text.data or ""), 422
    typed = form.text.data or ""
    same_as_default = " ".join(typed.split()) == " ".join(notice.DEFAULT_NOTICE.split())
    g.structure.privacy_notice = None if not typed or same_as_default else typed
    db.session.flush()
    return see_other(".notice_text", "Notice enregistrée.")
