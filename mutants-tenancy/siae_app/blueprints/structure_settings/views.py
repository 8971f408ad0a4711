"""Identité de la structure: SIRET, address and logo printed on bilans and attestations."""

from __future__ import annotations

from flask import g

from siae_app.blueprints.forms_common import act, edit_form, see_other, submit
from siae_app.blueprints.structure_settings import bp
from siae_app.blueprints.structure_settings.forms import IdentityForm, SecurityForm
from siae_app.extensions import db
from siae_app.models import Role
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import logo_image
from siae_app.services import structure_identity as service
from siae_app.services.accounts import two_factor as tfa


def _page(form: IdentityForm) -> str:
    return render(
        "structure_settings/identity.html",
        form=form,
        logo_url=service.logo_url(g.structure),
        has_logo=g.structure.logo is not None,
        print_side=logo_image.PRINT_SIDE,
        security_form=SecurityForm(formdata=None, obj=g.structure),
        is_director=g.membership.has_role(Role.DIRECTOR),
    )


def _uploaded(form: IdentityForm) -> bytes | None:
    file = form.logo.data
    if not file or not getattr(file, "filename", ""):
        return None
    return file.read(service.LOGO_MAX_BYTES + 1)


@bp.route("/identite", methods=["GET", "POST"])
@require(Perm.STRUCTURE_IDENTITY_MANAGE)
def identity():
    form = edit_form(IdentityForm, g.structure)
    return submit(
        form,
        lambda: service.save(
            db.session,
            g.structure,
            siret=form.siret.data,
            address=form.address.data,
            logo=_uploaded(form),
            remove_logo=form.remove_logo.data,
        ),
        done=lambda _: see_other(".identity", "Identité de la structure enregistrée."),
        page=lambda: _page(form),
        error_field="siret",
    )


@bp.post("/double-authentification")
@require(Perm.STRUCTURE_IDENTITY_MANAGE)  # and the direction only: the service says so
def two_factor():
    form = SecurityForm()
    return act(
        lambda: tfa.require_for_all(
            db.session, g.structure, g.membership, bool(form.require_two_factor.data)
        ),
        "Réglage de la double authentification enregistré.",
        ".identity",
    )
