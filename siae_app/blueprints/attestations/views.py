"""Attestations de compétences: list, propose from the latest validated assessment, sign,
revoke, download (PDF, Open Badges JSON), batch exports as a background job."""

from __future__ import annotations

import json
import uuid
from datetime import date

from flask import Response, abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app import jobs
from siae_app.blueprints.attestations import bp, loaders
from siae_app.blueprints.attestations.forms import BatchForm, ProposeForm, RevokeForm, SignForm
from siae_app.blueprints.forms_common import act, see_other, submit
from siae_app.extensions import db
from siae_app.jobs.attestations import build_batch
from siae_app.models import Employee, Membership
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.attestations import badges, compose, signing
from siae_app.services.attestations import batch as batch_service
from siae_app.services.exports import attachment

LIST_LIMIT = 200


def _with_people(stmt):
    return stmt.options(
        selectinload(Attestation.employee),
        selectinload(Attestation.proposed_by).selectinload(Membership.user),
    )


@bp.get("/")
@require(Perm.ATTESTATIONS_VIEW)
def index():
    attestations = db.session.scalars(
        _with_people(scopes.employee_rows(g.membership, Attestation))
        .order_by(Attestation.created_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    to_sign = [a for a in attestations if a.status == "proposed"]
    return render(
        "attestations/index.html",
        attestations=attestations,
        to_sign=to_sign,
        limit=LIST_LIMIT,
    )


def _employee_page(employee: Employee, form: ProposeForm | None = None) -> str:
    attestations = db.session.scalars(
        _with_people(select(Attestation))
        .where(Attestation.employee_id == employee.id)
        .order_by(Attestation.created_at.desc())
    ).all()
    return render(
        "attestations/employee.html",
        employee=employee,
        attestations=attestations,
        assessment=compose.latest_validated_assessment(db.session, employee.id),
        form=form or ProposeForm(),
    )


@bp.get("/salarie/<uuid:employee_id>")
@require(Perm.ATTESTATIONS_VIEW)
def for_employee(employee_id: uuid.UUID):
    return _employee_page(loaders.employee(employee_id))


@bp.post("/salarie/<uuid:employee_id>")
@require(Perm.ATTESTATIONS_PROPOSE)
def propose(employee_id: uuid.UUID):
    employee = loaders.employee(employee_id)
    form = ProposeForm()
    return submit(
        form,
        lambda: compose.propose(
            db.session,
            employee,
            g.membership,
            omit_insertion_word=form.omit_insertion_word.data,
        ),
        done=lambda saved: see_other(
            ".attestation", "Attestation proposée à la direction.", attestation_id=saved.id
        ),
        page=lambda: _employee_page(employee, form),
        error_field="omit_insertion_word",
    )


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


@bp.get("/<uuid:attestation_id>")
@require(Perm.ATTESTATIONS_VIEW)
def attestation(attestation_id: uuid.UUID):
    return _page(loaders.attestation(attestation_id))


@bp.post("/<uuid:attestation_id>/actualiser")
@require(Perm.ATTESTATIONS_PROPOSE)
def refresh(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    employee = db.session.get(Employee, found.employee_id)
    return act(
        lambda: compose.refresh(db.session, found, employee),
        "Contenu mis à jour depuis le dossier du salarié.",
        ".attestation",
        attestation_id=found.id,
    )


@bp.post("/<uuid:attestation_id>/signer")
@require(Perm.ATTESTATIONS_SIGN)
def sign(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    form = SignForm()
    return submit(
        form,
        lambda: signing.sign(
            db.session,
            found,
            g.membership,
            g.structure,
            signer_name=form.signer_name.data,
            signed_on=form.signed_on.data,
            signed_place=form.signed_place.data,
        ),
        done=lambda saved: see_other(
            ".attestation", "Attestation signée : son contenu est figé.", attestation_id=saved.id
        ),
        page=lambda: _page(found, sign_form=form),
        error_field="signed_on",
    )


@bp.post("/<uuid:attestation_id>/revoquer")
@require(Perm.ATTESTATIONS_SIGN)
def revoke(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    form = RevokeForm()
    return submit(
        form,
        lambda: signing.revoke(db.session, found, g.membership, motif=form.motif.data),
        done=lambda saved: see_other(
            ".attestation", "Attestation révoquée.", attestation_id=saved.id
        ),
        page=lambda: _page(found, revoke_form=form),
        error_field="motif",
    )


def _download_name(attestation: Attestation) -> str:
    holder = (attestation.content or {}).get("holder", {})
    return f"Attestation {holder.get('name', '')}"


@bp.get("/<uuid:attestation_id>/pdf")
@require(Perm.ATTESTATIONS_VIEW)
def pdf(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    if found.status == "proposed":
        content = signing.render(found, g.structure, draft=True)
        name = f"Projet - {_download_name(found)}"
    else:
        content = db.session.scalar(select(Attestation.pdf).where(Attestation.id == found.id))
        name = _download_name(found)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": attachment(name, "pdf")},
    )


@bp.get("/<uuid:attestation_id>/open-badge.json")
@require(Perm.ATTESTATIONS_VIEW)
def badge(attestation_id: uuid.UUID):
    found = loaders.attestation(attestation_id)
    if found.signed_at is None:
        abort(404)
    body = json.dumps(badges.credential(found), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/ld+json",
        headers={"Content-Disposition": attachment(_download_name(found), "json")},
    )


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


def _start_batch(form: BatchForm) -> AttestationBatch:
    created = batch_service.create(
        db.session,
        g.membership,
        exit_from=form.exit_from.data,
        exit_to=form.exit_to.data,
        employees_stmt=scopes.employees(g.membership),
    )
    if jobs.uses_queue():
        db.session.commit()  # the worker reads the batch from another connection
    jobs.enqueue(build_batch, str(g.structure.id), str(created.id))
    return created


@bp.post("/lots")
@require(Perm.ATTESTATIONS_EXPORT)
def new_batch():
    form = BatchForm()
    return submit(
        form,
        lambda: _start_batch(form),
        done=lambda saved: see_other(".batch", "Export lancé.", batch_id=saved.id),
        page=lambda: _batches_page(form),
        error_field="exit_from",
    )


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
    if found.status != "done" or archive is None:
        abort(404)
    return Response(
        archive,
        mimetype="application/zip",
        headers={"Content-Disposition": attachment(f"Attestations {found.label}", "zip")},
    )
