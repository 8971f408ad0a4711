"""Partenaires: the structure's directory, with contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.blueprints.forms_common import edit_form, see_other, submit
from siae_app.blueprints.partners import bp, loaders
from siae_app.blueprints.partners.forms import ContactForm, PartnerForm
from siae_app.extensions import db
from siae_app.models import Partner
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import partners as service


@bp.get("/")
@require(Perm.PARTNERS_VIEW)
def index():
    partners = db.session.scalars(select(Partner).order_by(Partner.is_archived, Partner.name)).all()
    return render("partners/index.html", partners=partners)


def _detail(partner: Partner, contact_form: ContactForm | None = None) -> str:
    return render(
        "partners/partner.html", partner=partner, contact_form=contact_form or ContactForm()
    )


@bp.get("/<uuid:partner_id>")
@require(Perm.PARTNERS_VIEW)
def partner(partner_id: uuid.UUID):
    return _detail(loaders.partner(partner_id))


def _save(partner: Partner | None):
    form = edit_form(PartnerForm, partner)
    return submit(
        form,
        lambda: service.save_partner(
            db.session,
            partner,
            name=form.name.data,
            kind=form.kind.data,
            address=form.address.data,
            phone=form.phone.data,
            email=form.email.data,
            notes=form.notes.data,
            is_archived=bool(form.is_archived.data),
        ),
        done=lambda saved: see_other(
            ".partner", f"Partenaire « {saved.name} » enregistré.", partner_id=saved.id
        ),
        page=lambda: render("partners/partner_form.html", form=form, partner=partner),
        error_field="name",
    )


@bp.route("/nouveau", methods=["GET", "POST"])
@require(Perm.PARTNERS_MANAGE)
def new_partner():
    return _save(None)


@bp.route("/<uuid:partner_id>/modifier", methods=["GET", "POST"])
@require(Perm.PARTNERS_MANAGE)
def edit_partner(partner_id: uuid.UUID):
    return _save(loaders.partner(partner_id))


@bp.post("/<uuid:partner_id>/contacts")
@require(Perm.PARTNERS_MANAGE)
def add_contact(partner_id: uuid.UUID):
    partner = loaders.partner(partner_id)
    form = ContactForm()
    return submit(
        form,
        lambda: service.add_contact(
            db.session,
            partner,
            name=form.name.data,
            job_title=form.job_title.data,
            phone=form.phone.data,
            email=form.email.data,
        ),
        done=lambda c: see_other(
            ".partner", f"Contact « {c.name} » ajouté.", partner_id=partner.id
        ),
        page=lambda: _detail(partner, form),
        error_field="name",
    )
