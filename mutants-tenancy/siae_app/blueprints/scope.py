"""The /s/<structure_slug>/ parent blueprint: loads the membership and activates the tenant."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db, login_manager
from siae_app.models import Membership
from siae_app.tenancy import lookup


def make_structure_blueprint(children) -> Blueprint:
    """A fresh parent per app (a blueprint's setup cannot change once registered)."""
    parent = Blueprint("s", __name__, url_prefix="/s/<structure_slug>")
    parent.url_value_preprocessor(_pull_slug)
    parent.url_defaults(_add_slug)
    parent.before_request(_load_structure)
    for child in children:
        parent.register_blueprint(child)
    return parent


def _pull_slug(endpoint, values):
    g.structure_slug = values.pop("structure_slug", None) if values else None


def _add_slug(endpoint, values):
    if "structure_slug" in values or not g.get("structure"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "structure_slug"):
        values["structure_slug"] = g.structure.slug


def _load_structure():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # No tenant yet: `structures` has no row-level security (no personal data in it).
    structure = lookup.structure_by_slug(db.session, g.structure_slug)
    if structure is None:
        abort(404)
    # From here the app's role sees this structure's rows only (ORM filter + RLS).
    tenancy.activate(db.session, structure.id)
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == current_user.id, Membership.is_active.is_(True)
        )
    )
    if membership is None:
        # Not a member here: the structure's existence is not confirmed.
        tenancy.deactivate(db.session)
        abort(404)
    g.structure, g.membership = structure, membership
    if request.method == "GET":
        session["last_structure"] = structure.slug
    return None
