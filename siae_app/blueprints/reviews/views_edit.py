"""Writing a bilan: the ETI's part, the CIP's synthesis and decisions, the prolongation
template, participants, highlights, follow-ups, disclosures, the workflow and reopening.
Every route is declared on ``REVIEW`` (``views.REVIEW``, a ``routes_common.ObjectRoutes``)."""

from __future__ import annotations

from datetime import date

from flask import g, request

from siae_app.blueprints.forms_common import uuid_or_none
from siae_app.blueprints.reviews.forms import (
    EtiForm,
    ParticipantForm,
    ProlongationForm,
    ReopenForm,
    SynthesisForm,
)
from siae_app.blueprints.reviews.views import REVIEW, shown
from siae_app.extensions import db
from siae_app.models import ReviewStatus
from siae_app.models.reviews import PROLONGATION_NEEDS
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import workflow as service

PREPARE = Perm.REVIEWS_PREPARE

# The declarations stay on as few lines as they are read: one route, its permission, its form
# and its message.


@REVIEW.form("/eti", Perm.REVIEWS_CONTRIBUTE, EtiForm, "Regard de l'encadrant·e enregistré.",
             error_field="eti_part", anchor="eti", key="eti_form")  # fmt: skip
def eti_part(review, form):
    text = form.eti_part.data
    return service.save_eti_part(db.session, review, text=text, shown=shown(form, "eti_form"))


@REVIEW.form("/synthese", PREPARE, SynthesisForm, "Synthèse et décisions enregistrées.",
             error_field="cip_synthesis", anchor="synthese")  # fmt: skip
def synthesis(review, form: SynthesisForm):
    typed = service.Synthesis(
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
    return service.save_synthesis(db.session, review, typed, shown(form, "synthesis_form"))


@REVIEW.form("/prolongation", PREPARE, ProlongationForm, "Demande de prolongation enregistrée.",
             error_field="actions_done", anchor="prolongation")  # fmt: skip
def prolongation(review, form: ProlongationForm):
    needs = {
        key: value
        for key in PROLONGATION_NEEDS
        if (value := getattr(form, f"need_{key}").data or "")
    }
    typed = service.Prolongation(
        needs=needs,
        actions_done=form.actions_done.data,
        actions_planned=form.actions_planned.data,
        requested_months=form.requested_months.data,
        prolongation_motif=form.prolongation_motif.data or None,
    )
    return service.save_prolongation(db.session, review, typed)


@REVIEW.form("/participants", PREPARE, ParticipantForm, "Participant ajouté.",
             error_field="name", anchor="participants", key="participant_form")  # fmt: skip
def add_participant(review, form: ParticipantForm):
    typed = {"name": form.name.data, "organisation": form.organisation.data}
    return service.add_participant(db.session, review, role=form.role.data, **typed)


@REVIEW.form("/rouvrir", PREPARE, ReopenForm,
             "Bilan rouvert : la réouverture est enregistrée avec son motif.",
             error_field="motif", key="reopen_form")  # fmt: skip
def reopen(review, form: ReopenForm):
    return service.reopen(db.session, review, membership=g.membership, motif=form.motif.data)


@REVIEW.button("/participants/retirer", PREPARE, "Participant retiré.")
def remove_participant(review):
    participant_id = uuid_or_none(request.form.get("participant_id"))
    service.remove_participant(db.session, review, participant_id)


@REVIEW.button("/faits-marquants", Perm.REVIEWS_CONTRIBUTE, "Faits marquants enregistrés.")
def highlights(review):
    chosen = {i for v in request.form.getlist("observations") if (i := uuid_or_none(v))}
    candidates = compiling.highlight_candidates(
        db.session, scopes.observations(g.membership), review
    )
    service.set_highlights(db.session, review, chosen, candidates)


@REVIEW.button("/suites", PREPARE, "Résultat enregistré.")
def followup(review):
    followup_id = uuid_or_none(request.form.get("followup_id"))
    service.set_outcome(db.session, review, followup_id, request.form.get("outcome"))


@REVIEW.button("/inclure", Perm.REVIEWS_DISCLOSE,
               "Élément inclus dans les exemplaires remis : ce choix est enregistré.")  # fmt: skip
def disclose(review):
    item = request.form.get("item", "")
    service.disclose(db.session, review, membership=g.membership, item=item)


@REVIEW.button("/exclure", Perm.REVIEWS_DISCLOSE, "Élément retiré des exemplaires remis.")
def withdraw(review):
    item = request.form.get("item", "")
    service.withdraw(db.session, review, membership=g.membership, item=item)


STEP_MESSAGES = {
    ReviewStatus.READY: "Bilan prêt à être tenu.",
    ReviewStatus.HELD: "Bilan marqué comme tenu.",
    ReviewStatus.VALIDATED: "Bilan validé : il est verrouillé et son PDF est disponible.",
}


@REVIEW.button("/etape", PREPARE, lambda: STEP_MESSAGES.get(request.form.get("to", ""), ""))
def step(review):
    to = request.form.get("to", "")
    service.move(db.session, review, to=to, membership=g.membership, today=date.today())


@REVIEW.button("/recompiler", PREPARE, "Période recompilée jusqu'à aujourd'hui.")
def recompile(review):
    service.recompile(db.session, review, today=date.today())
