"""« Mes objectifs », « Mes compétences », « Mon auto-évaluation » in the salarié's own space.

The space session is loaded by views.py's before_request (no session: back to the code page).
An assessment named in a URL is looked up among this salarié's self-assessments, else 404.
"""

from __future__ import annotations

import uuid

from flask import abort, redirect, request, url_for
from flask_wtf import FlaskForm

from siae_app.blueprints.personal_space import bp
from siae_app.blueprints.personal_space.views import _page, _space
from siae_app.extensions import db
from siae_app.models import Assessment
from siae_app.models.evaluations import SELF_ANSWERS
from siae_app.services import ServiceError
from siae_app.services.personal_space import progress


class AnswersForm(FlaskForm):
    """Only the CSRF token: the answers are one radio group per line (``item-<id>``)."""


@bp.get("/objectifs")
def objectives():
    return _page("objectifs.html", found=progress.objectives(db.session, _space().employee))


@bp.get("/competences")
def competencies():
    found = progress.competencies(db.session, _space().employee)
    return _page(
        "competences.html",
        acquired=[c for c in found if c.acquired],
        competencies=found,
    )


@bp.get("/auto-evaluation")
def self_assessment():
    return _page(
        "auto_evaluation.html",
        open_ones=progress.open_self_assessments(db.session, _space().employee),
        assessment=None,
    )


def _own(assessment_id: uuid.UUID) -> Assessment:
    found = progress.own_self_assessment(db.session, _space().employee, assessment_id)
    if found is None:
        abort(404)
    return found


def _answers_page(
    assessment: Assessment,
    *,
    typed: dict[uuid.UUID, str | None] | None = None,
    message: str | None = None,
    wrong: str | None = None,
    status: int = 200,
):
    chosen = {i.id: i.self_answer for i in assessment.items}
    chosen.update({k: v for k, v in (typed or {}).items() if v})
    return (
        _page(
            "auto_evaluation.html",
            assessment=assessment,
            form=AnswersForm(),
            answers=SELF_ANSWERS,
            chosen=chosen,
            # A locked one is read only: the page says why.
            message=message or (progress.LOCKED if assessment.is_locked else None),
            wrong=wrong,
            saved="enregistre" in request.args,
            saved_line=request.args.get("ligne", type=int),
        ),
        status,
    )


@bp.route("/auto-evaluation/<uuid:assessment_id>", methods=["GET", "POST"])
def self_assessment_form(assessment_id: uuid.UUID):
    assessment = _own(assessment_id)
    if request.method == "GET":
        return _answers_page(assessment)
    form = AnswersForm()
    typed = {i.id: request.form.get(f"item-{i.id}") or None for i in assessment.items}
    if not form.validate_on_submit():
        return _answers_page(
            assessment, typed=typed, message="La page a expiré : recommencez.", status=422
        )
    if assessment.is_locked:
        return _answers_page(assessment, message=progress.LOCKED, status=409)
    if not any(typed.values()) and not any(i.self_answer for i in assessment.items):
        return _answers_page(
            assessment, message="Choisissez une réponse pour au moins une phrase.", status=422
        )
    try:
        progress.answer(db.session, _space().employee, assessment, typed)
    except ServiceError as exc:
        # A failed flush rolled the session back: read the lines again, keep what was typed.
        db.session.expire_all()
        assessment = _own(assessment_id)
        wrong = (exc.field or "").removeprefix("item-") or None
        return _answers_page(
            assessment, typed=typed, message=exc.message, wrong=wrong, status=exc.status
        )
    # The line whose button was touched: the page comes back there, saying « Enregistré ».
    line = request.form.get("ligne", type=int) or 0
    if line:
        target = url_for(
            ".self_assessment_form", assessment_id=assessment.id, enregistre=1, ligne=line
        )
        return redirect(f"{target}#ligne-{line}", code=303)
    target = url_for(".self_assessment_form", assessment_id=assessment.id, enregistre=1)
    return redirect(target, code=303)
