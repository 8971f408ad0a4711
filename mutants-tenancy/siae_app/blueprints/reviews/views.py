"""Bilans of a salarié: the schedule and the list, opening a draft, the bilan page and its
forms (the ETI's part, the CIP's synthesis and decisions, the prolongation template,
participants, highlights, follow-ups, disclosures, the workflow, reopening), the PDF and its
preview before the validation."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, g, request

from siae_app import access_trail
from siae_app.blueprints.forms_common import see_other, uuid_or_none, values
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.reviews import bp, loaders
from siae_app.blueprints.reviews.forms import (
    EtiForm,
    OpenForm,
    ParticipantForm,
    ProlongationForm,
    ReopenForm,
    SynthesisForm,
)
from siae_app.blueprints.reviews.pages import list_page, review_page, shown
from siae_app.blueprints.routes_common import ObjectPage, download
from siae_app.extensions import db
from siae_app.models import Employee, ReviewStatus
from siae_app.models.reviews import PROLONGATION_NEEDS, Review
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import documents
from siae_app.services.reviews import workflow as service

PREPARE = Perm.REVIEWS_PREPARE
EMPLOYEE = ObjectPage("employee_id", load_employee, ".for_employee", list_page)
REVIEW = ObjectPage("review_id", loaders.review, ".review", review_page)


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.REVIEWS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return list_page(load_employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>")
@require(PREPARE)
@EMPLOYEE.form(
    OpenForm,
    "Bilan ouvert : le brouillon reprend la période.",
    refused_as="form",
    error_field="kind",
    to=(".review", "review_id"),
)
def open_review(employee: Employee, form: OpenForm) -> Review:
    typed = values(form, ("kind", "due_on"))
    return service.open_review(
        db.session, employee=employee, membership=g.membership, today=date.today(), **typed
    )


@bp.get("/<uuid:review_id>")
@require(Perm.REVIEWS_VIEW)
def review(review_id: uuid.UUID):
    return review_page(loaders.review(review_id))


@bp.get("/<uuid:review_id>/pdf")
@require(Perm.REVIEWS_VIEW)
def pdf(review_id: uuid.UUID):
    found = loaders.review(review_id)
    if not found.is_locked:
        flash("Le PDF est disponible une fois le bilan validé.", "error")
        return see_other(".review", None, review_id=found.id)
    copy = request.args.get("exemplaire", "salarie")
    copy = copy if copy in documents.COPIES else "salarie"
    document = documents.pdf(db.session, found, copy, g.membership)
    if document.sensitive:
        access_trail.mark_sensitive()  # whoever downloads sensitive content is logged
    name = f"{found.kind_label} {found.employee.display_name} {documents.COPIES[copy]}"
    return download(document.content, "application/pdf", name, "pdf")


@bp.get("/<uuid:review_id>/apercu")
@require(PREPARE)  # whoever may validate the bilan (the « Valider » step)
def preview(review_id: uuid.UUID):
    """The copy as the validation would print it, marked « Aperçu — non validé »; nothing
    written but the access log. A validated bilan has its real copy: sent there."""
    found = loaders.review(review_id)
    copy = request.args.get("exemplaire", "salarie")
    copy = copy if copy in documents.COPIES else "salarie"
    if found.is_locked:
        return see_other(".pdf", None, review_id=found.id, exemplaire=copy)
    document = documents.preview(db.session, found, copy, g.membership)
    if document.sensitive:
        access_trail.mark_sensitive()
    name = f"bilan-apercu-{found.employee.display_name}-{copy}"
    return download(document.content, "application/pdf", name, "pdf")


# ------------------------------------------------------------------ writing the bilan


@bp.post("/<uuid:review_id>/eti")
@require(Perm.REVIEWS_CONTRIBUTE)
@REVIEW.form(
    EtiForm,
    "Regard de l'encadrant·e enregistré.",
    refused_as="eti_form",
    error_field="eti_part",
    anchor="eti",
)
def eti_part(review, form):
    text = form.eti_part.data
    return service.save_eti_part(db.session, review, text=text, shown=shown(form, "eti_form"))


@bp.post("/<uuid:review_id>/synthese")
@require(PREPARE)
@REVIEW.form(
    SynthesisForm,
    "Synthèse et décisions enregistrées.",
    refused_as="synthesis_form",
    error_field="cip_synthesis",
    anchor="synthese",
)
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


@bp.post("/<uuid:review_id>/prolongation")
@require(PREPARE)
@REVIEW.form(
    ProlongationForm,
    "Demande de prolongation enregistrée.",
    refused_as="prolongation_form",
    error_field="actions_done",
    anchor="prolongation",
)
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


@bp.post("/<uuid:review_id>/participants")
@require(PREPARE)
@REVIEW.form(
    ParticipantForm,
    "Participant ajouté.",
    refused_as="participant_form",
    error_field="name",
    anchor="participants",
)
def add_participant(review, form: ParticipantForm):
    typed = {"name": form.name.data, "organisation": form.organisation.data}
    return service.add_participant(db.session, review, role=form.role.data, **typed)


@bp.post("/<uuid:review_id>/rouvrir")
@require(PREPARE)
@REVIEW.form(
    ReopenForm,
    "Bilan rouvert : la réouverture est enregistrée avec son motif.",
    refused_as="reopen_form",
    error_field="motif",
)
def reopen(review, form: ReopenForm):
    return service.reopen(db.session, review, membership=g.membership, motif=form.motif.data)


@bp.post("/<uuid:review_id>/participants/retirer")
@require(PREPARE)
@REVIEW.button("Participant retiré.")
def remove_participant(review):
    participant_id = uuid_or_none(request.form.get("participant_id"))
    service.remove_participant(db.session, review, participant_id)


@bp.post("/<uuid:review_id>/faits-marquants")
@require(Perm.REVIEWS_CONTRIBUTE)
@REVIEW.button("Faits marquants enregistrés.")
def highlights(review):
    chosen = {i for v in request.form.getlist("observations") if (i := uuid_or_none(v))}
    candidates = compiling.highlight_candidates(
        db.session, scopes.observations(g.membership), review
    )
    service.set_highlights(db.session, review, chosen, candidates)


@bp.post("/<uuid:review_id>/suites")
@require(PREPARE)
@REVIEW.button("Résultat enregistré.")
def followup(review):
    followup_id = uuid_or_none(request.form.get("followup_id"))
    service.set_outcome(db.session, review, followup_id, request.form.get("outcome"))


@bp.post("/<uuid:review_id>/inclure")
@require(Perm.REVIEWS_DISCLOSE)
@REVIEW.button("Élément inclus dans les exemplaires remis : ce choix est enregistré.")
def disclose(review):
    item = request.form.get("item", "")
    service.disclose(db.session, review, membership=g.membership, item=item)


@bp.post("/<uuid:review_id>/exclure")
@require(Perm.REVIEWS_DISCLOSE)
@REVIEW.button("Élément retiré des exemplaires remis.")
def withdraw(review):
    item = request.form.get("item", "")
    service.withdraw(db.session, review, membership=g.membership, item=item)


STEP_MESSAGES = {
    ReviewStatus.READY: "Bilan prêt à être tenu.",
    ReviewStatus.HELD: "Bilan marqué comme tenu.",
    ReviewStatus.VALIDATED: "Bilan validé : il est verrouillé et son PDF est disponible.",
}


@bp.post("/<uuid:review_id>/etape")
@require(PREPARE)
@REVIEW.button(lambda: STEP_MESSAGES.get(request.form.get("to", ""), ""))
def step(review):
    to = request.form.get("to", "")
    service.move(db.session, review, to=to, membership=g.membership, today=date.today())


@bp.post("/<uuid:review_id>/recompiler")
@require(PREPARE)
@REVIEW.button("Période recompilée jusqu'à aujourd'hui.")
def recompile(review):
    service.recompile(db.session, review, today=date.today())
