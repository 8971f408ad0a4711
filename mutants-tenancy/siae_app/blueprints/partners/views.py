"""Partenaires: the structure's directory, with contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.blueprints.forms_common import FormFlow, form_page
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


PARTNER = FormFlow(
    PartnerForm,
    service.save_partner,
    fields=("name", "kind", "address", "phone", "email", "notes"),
    flags=("is_archived",),
    error_field="name",
    message="Partenaire « {0.name} » enregistré.",
    back=".partner",
    back_with={"partner_id": "id"},
)
CONTACT = FormFlow(
    ContactForm,
    service.add_contact,
    fields=("name", "job_title", "phone", "email"),
    error_field="name",
    message="Contact « {0.name} » ajouté.",
    back=".partner",
    back_with={"partner_id": "partner_id"},
)


def _form_page(partner: Partner | None):
    return form_page("partners/partner_form.html", partner=partner)


@bp.route("/nouveau", methods=["GET", "POST"])
@require(Perm.PARTNERS_MANAGE)
def new_partner():
    return PARTNER.new(_form_page(None), None)


@bp.route("/<uuid:partner_id>/modifier", methods=["GET", "POST"])
@require(Perm.PARTNERS_MANAGE)
def edit_partner(partner_id: uuid.UUID):
    partner = loaders.partner(partner_id)
    return PARTNER.edit(partner, _form_page(partner))


@bp.post("/<uuid:partner_id>/contacts")
@require(Perm.PARTNERS_MANAGE)
def add_contact(partner_id: uuid.UUID):
    partner = loaders.partner(partner_id)
    return CONTACT.new(lambda form: _detail(partner, form), partner)
