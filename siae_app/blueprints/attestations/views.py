"""Attestations de compétences: list, propose from the latest validated assessment, sign,
revoke, download (PDF, signed Open Badge), batch exports as a background job."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app import jobs
from siae_app.blueprints.attestations import bp, loaders
from siae_app.blueprints.attestations.forms import BatchForm, ProposeForm, RevokeForm, SignForm
from siae_app.blueprints.forms_common import FormFlow, values
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import ObjectPage, download
from siae_app.extensions import db
from siae_app.jobs.attestations import build_batch
from siae_app.models import AttestationStatus, BatchStatus, Employee, Membership
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.attestations import batch as batch_service
from siae_app.services.attestations import compose, credentials, signing

LIST_LIMIT = 200


def _listed(stmt):
    """A list of attestations: newest first, with their salarié and who proposed them."""
    return stmt.options(
        selectinload(Attestation.employee),
        selectinload(Attestation.proposed_by).selectinload(Membership.user),
    ).order_by(Attestation.created_at.desc())


@bp.get("/")
@require(Perm.ATTESTATIONS_VIEW)
def index():
    stmt = _listed(scopes.employee_rows(g.membership, Attestation)).limit(LIST_LIMIT)
    attestations = db.session.scalars(stmt).all()
    to_sign = [a for a in attestations if a.status == AttestationStatus.PROPOSED]
    return render(
        "attestations/index.html",
        attestations=attestations,
        to_sign=to_sign,
        limit=LIST_LIMIT,
    )


def _employee_page(employee: Employee, form: ProposeForm | None = None) -> str:
    stmt = _listed(select(Attestation).where(Attestation.employee_id == employee.id))
    attestations = db.session.scalars(stmt).all()
    return render(
        "attestations/employee.html",
        employee=employee,
        attestations=attestations,
        assessment=compose.latest_validated_assessment(db.session, employee.id),
        form=form or ProposeForm(),
    )


EMPLOYEE = ObjectPage("employee_id", load_employee, ".for_employee", _employee_page)


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.ATTESTATIONS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return _employee_page(load_employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>")
@require(Perm.ATTESTATIONS_PROPOSE)
@EMPLOYEE.form(
    ProposeForm,
    "Attestation proposée à la direction.",
    refused_as="form",
    error_field="omit_insertion_word",
    to=(".attestation", "attestation_id"),
)
def propose(employee: Employee, form: ProposeForm) -> Attestation:
    omit = form.omit_insertion_word.data
    return compose.propose(db.session, employee, g.membership, omit_insertion_word=omit)


def _sign_form() -> SignForm:
    return SignForm(
        signer_name=current_user.full_name, signed_place=g.structure.city, signed_on=date.today()
    )


def _page(attestation: Attestation, sign_form=None, revoke_form=None) -> str:
    return render(
        "attestations/attestation.html",
        attestation=attestation,
        employee=db.session.get(Employee, attestation.employee_id),
        doc=signing.document(attestation),
        code=signing.grouped(attestation.verification_code),
        verify_url=(
            signing.verification_url(attestation.verification_code)
            if attestation.verification_code
            else None
        ),
        sign_form=sign_form or _sign_form(),
        revoke_form=revoke_form or RevokeForm(),
    )


ATTESTATION = ObjectPage("attestation_id", loaders.attestation, ".attestation", _page)


@bp.get("/<uuid:attestation_id>")
@require(Perm.ATTESTATIONS_VIEW)
def attestation(attestation_id: uuid.UUID):
    return _page(loaders.attestation(attestation_id))


@bp.post("/<uuid:attestation_id>/actualiser")
@require(Perm.ATTESTATIONS_PROPOSE)
@ATTESTATION.button("Contenu mis à jour depuis le dossier du salarié.")
def refresh(attestation: Attestation) -> None:
    employee = db.session.get(Employee, attestation.employee_id)
    compose.refresh(db.session, attestation, employee)


@bp.post("/<uuid:attestation_id>/signer")
@require(Perm.ATTESTATIONS_SIGN)
@ATTESTATION.form(
    SignForm,
    "Attestation signée : son contenu est figé.",
    refused_as="sign_form",
    error_field="signed_on",
)
def sign(attestation: Attestation, form: SignForm) -> Attestation:
    typed = values(form, ("signer_name", "signed_on", "signed_place"))
    return signing.sign(db.session, attestation, g.membership, g.structure, **typed)


@bp.post("/<uuid:attestation_id>/revoquer")
@require(Perm.ATTESTATIONS_SIGN)
@ATTESTATION.form(
    RevokeForm, "Attestation révoquée.", refused_as="revoke_form", error_field="motif"
)
def revoke(attestation: Attestation, form: RevokeForm) -> Attestation:
    return signing.revoke(db.session, attestation, g.membership, motif=form.motif.data)


def _download_name(attestation: Attestation) -> str:
    holder = (attestation.content or {}).get("holder", {})
    return f"Attestation {holder.get('name', '')}"


@bp.get("/<uuid:attestation_id>/pdf")
@require(Perm.ATTESTATIONS_VIEW)
def pdf(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    if found.status == AttestationStatus.PROPOSED:
        content = signing.render(found, g.structure, draft=True)
        name = f"Projet - {_download_name(found)}"
    else:
        content = db.session.scalar(select(Attestation.pdf).where(Attestation.id == found.id))
        name = _download_name(found)
    return download(content, "application/pdf", name, "pdf")


@bp.get("/<uuid:attestation_id>/open-badge.jwt")
@require(Perm.ATTESTATIONS_VIEW)
def badge(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    if found.signed_at is None:
        abort(404)
    body = credentials.signed_credential(db.session, found, g.structure)
    return download(body, credentials.MEDIA_TYPE, f"Badge - {_download_name(found)}", "jwt")


# ------------------------------------------------------------------ batch exports


def _batches_page(form: BatchForm | None = None) -> str:
    batches = db.session.scalars(
        select(AttestationBatch)
        .options(selectinload(AttestationBatch.requested_by).selectinload(Membership.user))
        .order_by(AttestationBatch.created_at.desc())
        .limit(50)
    ).all()
    return render("attestations/batches.html", batches=batches, form=form or BatchForm())


@bp.get("/lots")
@require(Perm.ATTESTATIONS_EXPORT)
def batches():
    return _batches_page()


def _start_batch(session, *, exit_from: date, exit_to: date) -> AttestationBatch:
    created = batch_service.create(
        session,
        g.membership,
        exit_from=exit_from,
        exit_to=exit_to,
        employees_stmt=scopes.employees(g.membership),
    )
    jobs.enqueue_after_commit(session, build_batch, str(g.structure.id), str(created.id))
    return created


BATCH = FormFlow(
    BatchForm,
    _start_batch,
    fields=("exit_from", "exit_to"),
    error_field="exit_from",
    message="Export lancé.",
    back=".batch",
    back_with={"batch_id": "id"},
)


@bp.post("/lots")
@require(Perm.ATTESTATIONS_EXPORT)
def new_batch():
    return BATCH.new(_batches_page)


@bp.get("/lots/<uuid:batch_id>")
@require(Perm.ATTESTATIONS_EXPORT)
def batch(batch_id: uuid.UUID):
    return render("attestations/batch.html", block="batch_progress", batch=loaders.batch(batch_id))


@bp.get("/lots/<uuid:batch_id>/archive.zip")
@require(Perm.ATTESTATIONS_EXPORT)
def batch_archive(batch_id: uuid.UUID):
    found = loaders.batch(batch_id)
    archive = db.session.scalar(
        select(AttestationBatch.archive).where(AttestationBatch.id == found.id)
    )
    if found.status != BatchStatus.DONE or archive is None:
        abort(404)
    return download(archive, "application/zip", f"Attestations {found.label}", "zip")
