"""« Mon espace »: the code page, « Mon parcours », « Mes documents », « Mes données ».

Every page but the code page needs this phone's space session (session.py); without one it
sends the person back to the code page. A page shows only this salarié of this structure:
each record named in a URL is looked up among theirs, else 404.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, current_app, g, make_response, redirect, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, RadioField, TextAreaField

from siae_app import tenancy
from siae_app.blueprints.forms_common import strip
from siae_app.blueprints.personal_space import bp
from siae_app.blueprints.personal_space import session as space_session
from siae_app.blueprints.routes_common import download
from siae_app.extensions import db, limiter
from siae_app.models import (
    Attestation,
    EvidenceFile,
    Framework,
    Review,
    ReviewStatus,
    Structure,
)
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.attestations import credentials, signing
from siae_app.services.certification import evidence_pdf
from siae_app.services.employees import access_log
from siae_app.services.personal_space import access as space_access
from siae_app.services.personal_space import content
from siae_app.services.privacy import notice_pdf
from siae_app.services.privacy import requests as privacy_requests
from siae_app.services.reviews import documents as review_documents

# Pages reachable without a space session.
OPEN = frozenset({"espace.home", "espace.enter", "espace.leave"})
# Once a given code opened the space, only these until the salarié chose their own.
WHILE_CHOOSING = frozenset({"espace.choose_code", "espace.leave"})


def code_limit() -> str:
    return current_app.config.get("SPACE_CODE_RATE_LIMIT") or "10 per minute"


class OpenForm(FlaskForm):
    # Filled by espace.js from the link's « #… » part, which the browser never sends itself.
    lien = HiddenField()
    code = PasswordField("Mon code (6 chiffres)", filters=[strip])


class ChooseCodeForm(FlaskForm):
    code = PasswordField("Mon nouveau code (6 chiffres)", filters=[strip])
    again = PasswordField("Le même code, encore une fois", filters=[strip])


class DataRequestForm(FlaskForm):
    kind = RadioField(
        "Je demande",
        choices=[
            ("acces", "Une copie de mes données"),
            ("rectification", "Une correction"),
        ],
    )
    details = TextAreaField("Ce qu'il faut corriger (ou une précision)", filters=[strip])


@bp.before_request
def _open_space():
    space = space_session.load(date.today())
    if space is None:
        if request.endpoint in OPEN:
            return None
        # A form sent after the space closed on this phone: the code page says so, and
        # app.js keeps what was typed until the code is typed again.
        closed = request.method == "POST" or space_session.COOKIE in request.cookies
        return redirect(url_for(".home", fermee=1) if closed else url_for(".home"), code=303)
    if space.access.code_temporary and request.endpoint not in WHILE_CHOOSING:
        return redirect(url_for(".choose_code"), code=303)
    return None


@bp.after_request
def _private(response):
    # The salarié's own data: never kept by a cache, never indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _space() -> space_session.Space:
    return g.space


def _page(template: str, **context):
    space = g.get("space")
    owner = space_session.draft_owner(space) if space else ""
    return render(f"espace/{template}", space=space, draft_owner=owner, **context)


# ------------------------------------------------------------------------------ opening


def _code_page(form: OpenForm, message: str | None = None, status: int = 200):
    closed = bool(request.args.get("fermee")) and message is None
    return _page("ouvrir.html", form=form, message=message, closed=closed), status


@bp.get("/")
def home():
    if g.get("space") is None:
        return _code_page(OpenForm(formdata=None))
    space = _space()
    today = date.today()
    return _page(
        "parcours.html",
        parcours=content.parcours(db.session, space.employee, space.structure, today),
        ends_on=space_access.ends_on(space.employee, space.structure),
        today=today,
    )


@bp.post("/ouvrir")
@limiter.limit(code_limit)
def enter():
    form = OpenForm()
    if not form.validate_on_submit():
        return _code_page(form, "La page a expiré : ouvrez de nouveau votre lien.", 422)
    access = space_access.find_by_link(db.session, form.lien.data or "")
    if access is None:
        return _code_page(form, "Ce lien n'est pas reconnu. Ouvrez le lien de votre feuille.", 422)
    employee = access.employee
    structure = db.session.get(Structure, access.structure_id)
    was_locked = access.is_locked
    attempt = space_access.try_code(
        db.session, access, employee, structure, form.code.data or "", date.today()
    )
    if not attempt.opened:
        if attempt.message != space_access.CLOSED and not was_locked:
            part = "verrou" if access.is_locked else "code_refuse"
            access_log.record_own_view(db.session, employee, part)
        # A refused answer is rolled back at the end of the request: the count of wrong codes
        # (and the lock) must stay, so it is written now.
        db.session.commit()
        form.code.data = ""
        return _code_page(form, attempt.message, 422)
    access_log.record_own_view(db.session, employee, "ouverture")
    target = ".choose_code" if attempt.must_choose_code else ".home"
    response = redirect(url_for(target), code=303)
    space_session.issue(response, access)
    return response


@bp.route("/code", methods=["GET", "POST"])
def choose_code():
    space = _space()
    form = ChooseCodeForm()
    message = None
    if form.validate_on_submit():
        if form.code.data != form.again.data:
            message = "Les deux codes ne sont pas les mêmes. Recommencez."
        else:
            try:
                space_access.set_code(db.session, space.access, space.employee, form.code.data)
            except ServiceError as exc:
                message = exc.message
            else:
                response = redirect(url_for(".home"), code=303)
                space_session.issue(response, space.access)  # the new generation
                return response
    elif request.method == "POST":
        message = "La page a expiré : recommencez."
    form.code.data = form.again.data = ""
    return _page("code.html", form=form, message=message), (422 if message else 200)


@bp.post("/quitter")
def leave():
    """Close the space on this phone: the cookie goes, the browser forgets the pages."""
    response = make_response(_page("quitte.html", left=True))
    space_session.forget(response)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    tenancy.deactivate(db.session)
    return response


# ------------------------------------------------------------------------------ documents


@bp.get("/documents")
def documents():
    space = _space()
    return _page(
        "documents.html",
        reviews=content.validated_reviews(db.session, space.employee),
        attestations=content.signed_attestations(db.session, space.employee),
        evidence_files=content.offered_evidence_files(db.session, space.employee),
        grouped=signing.grouped,
        verification_url=signing.verification_url,
    )


def _own_review(review_id: uuid.UUID) -> Review:
    review = db.session.get(Review, review_id)
    if (
        review is None
        or review.employee_id != _space().employee.id
        or review.status != ReviewStatus.VALIDATED
    ):
        abort(404)
    return review


def _own_attestation(attestation_id: uuid.UUID) -> Attestation:
    found = db.session.get(Attestation, attestation_id)
    if found is None or found.employee_id != _space().employee.id:
        abort(404)
    if found not in content.signed_attestations(db.session, _space().employee):
        abort(404)
    return found


@bp.get("/documents/bilans/<uuid:review_id>.pdf")
def review_pdf(review_id: uuid.UUID):
    review = _own_review(review_id)
    copy = review_documents.pdf(db.session, review, "salarie", None)
    access_log.record_own_view(db.session, _space().employee, "bilan", action="download")
    name = f"{review.kind_label} - exemplaire du salarié"
    return download(copy.content, "application/pdf", name, "pdf")


@bp.get("/documents/attestations/<uuid:attestation_id>.pdf")
def attestation_pdf(attestation_id: uuid.UUID):
    found = _own_attestation(attestation_id)
    pdf = db.session.scalar(select(Attestation.pdf).where(Attestation.id == found.id))
    access_log.record_own_view(db.session, _space().employee, "attestation", action="download")
    return download(pdf, "application/pdf", "Attestation de compétences", "pdf")


@bp.get("/documents/attestations/<uuid:attestation_id>/open-badge.jwt")
def attestation_badge(attestation_id: uuid.UUID):
    found = _own_attestation(attestation_id)
    space = _space()
    body = credentials.signed_credential(db.session, found, space.structure)
    access_log.record_own_view(db.session, space.employee, "attestation", action="download")
    name = "Attestation de compétences (badge numérique signé)"
    return download(body, credentials.MEDIA_TYPE, name, "jwt")


@bp.get("/documents/dossiers/<uuid:evidence_file_id>.pdf")
def evidence_file_pdf(evidence_file_id: uuid.UUID):
    """A dossier de preuves the CIP offered in this space (the salarié's own only)."""
    employee = _space().employee
    found = db.session.get(EvidenceFile, evidence_file_id)
    if found is None or found.employee_id != employee.id or not found.offered_in_space:
        abort(404)
    framework = db.session.get(Framework, found.framework_id)
    pdf = evidence_pdf.render(db.session, employee, framework, found)
    access_log.record_own_view(db.session, employee, "dossier_preuves", action="download")
    return download(pdf, "application/pdf", f"Dossier de preuves {framework.title}", "pdf")


@bp.get("/documents/notice.pdf")
def notice():
    space = _space()
    pdf = notice_pdf.render(db.session, space.structure, space.employee)
    access_log.record_own_view(db.session, space.employee, "notice", action="download")
    return download(pdf, "application/pdf", notice_pdf.file_name(space.employee), "pdf")


# ------------------------------------------------------------------------------ my data


def _data_page(form: DataRequestForm, message: str | None = None, status: int = 200):
    space = _space()
    waiting = [
        r
        for r in privacy_requests.of_employee(db.session, space.employee)
        if r.from_space and not r.answered_on
    ]
    return (
        _page(
            "donnees.html",
            parts=content.data_parts(db.session, space.structure),
            form=form,
            message=message,
            waiting=waiting,
        ),
        status,
    )


@bp.route("/donnees", methods=["GET", "POST"])
def data():
    space = _space()
    form = DataRequestForm()
    if request.method == "GET":
        return _data_page(form)
    if not form.validate_on_submit():
        return _data_page(form, "La page a expiré : recommencez.", 422)
    try:
        privacy_requests.record_from_space(
            db.session, space.employee, form.kind.data or "", form.details.data, date.today()
        )
    except ServiceError as exc:
        return _data_page(form, exc.message, 422)
    access_log.record_own_view(db.session, space.employee, "demande")
    return redirect(url_for(".data", envoye=1), code=303)
