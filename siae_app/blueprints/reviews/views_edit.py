"""Writing a bilan: the ETI's part, the CIP's synthesis and decisions, the prolongation
template, participants, highlights, follow-ups, disclosures, the workflow and reopening."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, g, request

from siae_app.blueprints.forms_common import act, put_error, see_other, submit
from siae_app.blueprints.reviews import bp, loaders
from siae_app.blueprints.reviews.forms import (
    EtiForm,
    ParticipantForm,
    ProlongationForm,
    ReopenForm,
    SynthesisForm,
)
from siae_app.blueprints.reviews.views import page
from siae_app.extensions import db
from siae_app.models.reviews import PROLONGATION_NEEDS
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.services import ServiceError
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import workflow as service


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _back(review, message: str, anchor: str = ""):
    return see_other(".review", message, anchor=anchor, review_id=review.id)


@bp.post("/<uuid:review_id>/eti")
@require(Perm.REVIEWS_CONTRIBUTE)
def eti_part(review_id: uuid.UUID):
    review = loaders.review(review_id)
    form = EtiForm()
    return submit(
        form,
        lambda: service.save_eti_part(db.session, review, text=form.eti_part.data),
        done=lambda r: _back(r, "Regard de l'encadrant·e enregistré.", "eti"),
        page=lambda: page(review, eti_form=form),
        error_field="eti_part",
    )


def _synthesis(form: SynthesisForm) -> service.Synthesis:
    return service.Synthesis(
        cip_synthesis=form.cip_synthesis.data,
        employee_words=form.employee_words.data,
        held_on=form.held_on.data,
        renewal=form.renewal.data or None,
        renewal_months=form.renewal_months.data,
        prolongation_requested=bool(form.prolongation_requested.data),
        orientation=form.orientation.data,
        exit_planned=bool(form.exit_planned.data),
        next_appointment_on=form.next_appointment_on.data,
    )


@bp.post("/<uuid:review_id>/synthese")
@require(Perm.REVIEWS_PREPARE)
def synthesis(review_id: uuid.UUID):
    review = loaders.review(review_id)
    form = SynthesisForm()
    return submit(
        form,
        lambda: service.save_synthesis(db.session, review, _synthesis(form)),
        done=lambda r: _back(r, "Synthèse et décisions enregistrées.", "synthese"),
        page=lambda: page(review, synthesis_form=form),
        error_field="cip_synthesis",
    )


def _prolongation(form: ProlongationForm) -> service.Prolongation:
    needs = {
        key: value
        for key in PROLONGATION_NEEDS
        if (value := getattr(form, f"need_{key}").data or "")
    }
    return service.Prolongation(
        needs=needs,
        actions_done=form.actions_done.data,
        actions_planned=form.actions_planned.data,
        requested_months=form.requested_months.data,
        prolongation_motif=form.prolongation_motif.data or None,
    )


@bp.post("/<uuid:review_id>/prolongation")
@require(Perm.REVIEWS_PREPARE)
def prolongation(review_id: uuid.UUID):
    review = loaders.review(review_id)
    form = ProlongationForm()
    return submit(
        form,
        lambda: service.save_prolongation(db.session, review, _prolongation(form)),
        done=lambda r: _back(r, "Demande de prolongation enregistrée.", "prolongation"),
        page=lambda: page(review, prolongation_form=form),
        error_field="actions_done",
    )


@bp.post("/<uuid:review_id>/participants")
@require(Perm.REVIEWS_PREPARE)
def add_participant(review_id: uuid.UUID):
    review = loaders.review(review_id)
    form = ParticipantForm()
    return submit(
        form,
        lambda: service.add_participant(
            db.session,
            review,
            name=form.name.data,
            organisation=form.organisation.data,
            role=form.role.data,
        ),
        done=lambda _p: _back(review, "Participant ajouté.", "participants"),
        page=lambda: page(review, participant_form=form),
        error_field="name",
    )


@bp.post("/<uuid:review_id>/participants/retirer")
@require(Perm.REVIEWS_PREPARE)
def remove_participant(review_id: uuid.UUID):
    review = loaders.review(review_id)
    participant_id = _uuid(request.form.get("participant_id"))
    return act(
        lambda: service.remove_participant(db.session, review, participant_id),
        "Participant retiré.",
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/faits-marquants")
@require(Perm.REVIEWS_CONTRIBUTE)
def highlights(review_id: uuid.UUID):
    review = loaders.review(review_id)
    chosen = {i for v in request.form.getlist("observations") if (i := _uuid(v))}
    candidates = compiling.highlight_candidates(
        db.session, scopes.observations(g.membership), review
    )
    return act(
        lambda: service.set_highlights(db.session, review, chosen, candidates),
        "Faits marquants enregistrés.",
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/suites")
@require(Perm.REVIEWS_PREPARE)
def followup(review_id: uuid.UUID):
    review = loaders.review(review_id)
    followup_id = _uuid(request.form.get("followup_id"))
    outcome = request.form.get("outcome")
    return act(
        lambda: service.set_outcome(db.session, review, followup_id, outcome),
        "Résultat enregistré.",
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/inclure")
@require(Perm.REVIEWS_DISCLOSE)
def disclose(review_id: uuid.UUID):
    review = loaders.review(review_id)
    item = request.form.get("item", "")
    return act(
        lambda: service.disclose(db.session, review, membership=g.membership, item=item),
        "Élément inclus dans les exemplaires remis : ce choix est enregistré.",
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/exclure")
@require(Perm.REVIEWS_DISCLOSE)
def withdraw(review_id: uuid.UUID):
    review = loaders.review(review_id)
    item = request.form.get("item", "")
    return act(
        lambda: service.withdraw(db.session, review, membership=g.membership, item=item),
        "Élément retiré des exemplaires remis.",
        ".review",
        review_id=review.id,
    )


STEP_MESSAGES = {
    "ready": "Bilan prêt à être tenu.",
    "held": "Bilan marqué comme tenu.",
    "validated": "Bilan validé : il est verrouillé et son PDF est disponible.",
}


@bp.post("/<uuid:review_id>/etape")
@require(Perm.REVIEWS_PREPARE)
def step(review_id: uuid.UUID):
    review = loaders.review(review_id)
    to = request.form.get("to", "")
    return act(
        lambda: service.move(
            db.session, review, to=to, membership=g.membership, today=date.today()
        ),
        STEP_MESSAGES.get(to, ""),
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/recompiler")
@require(Perm.REVIEWS_PREPARE)
def recompile(review_id: uuid.UUID):
    review = loaders.review(review_id)
    return act(
        lambda: service.recompile(db.session, review, today=date.today()),
        "Période recompilée jusqu'à aujourd'hui.",
        ".review",
        review_id=review.id,
    )


@bp.post("/<uuid:review_id>/rouvrir")
@require(Perm.REVIEWS_PREPARE)
def reopen(review_id: uuid.UUID):
    review = loaders.review(review_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            service.reopen(db.session, review, membership=g.membership, motif=form.motif.data)
        except ServiceError as exc:
            put_error(form, exc, "motif")
        else:
            flash("Bilan rouvert : la réouverture est enregistrée avec son motif.", "success")
            return _back(review, "")
    return page(review, reopen_form=form), 422
