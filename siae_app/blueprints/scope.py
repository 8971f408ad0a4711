"""The /s/<structure_slug>/ parent blueprint: loads the membership and activates the tenant."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import and_, select

from siae_app import tenancy
from siae_app.extensions import db, login_manager
from siae_app.models import Membership, Structure
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


# Per app, slug → structure id of the structures already opened: with it, a page finds its
# structure and the person's membership in one query after activating the tenant. A hint
# only: the query checks the id and the slug together, and a miss looks the slug up again.
SLUG_HINTS = "structure_slug_hints"
SLUG_HINTS_MAX = 10_000


def _load_structure():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    found = _by_hint(g.structure_slug) or _by_slug(g.structure_slug)
    if found is None:
        abort(404)
    structure, membership = found
    if membership is None:
        # Not a member here: the structure's existence is not confirmed.
        tenancy.deactivate(db.session)
        abort(404)
    g.structure, g.membership = structure, membership
    if request.method == "GET" and session.get("last_structure") != structure.slug:
        session["last_structure"] = structure.slug
    return None


def _membership_here():
    return and_(
        Membership.structure_id == Structure.id,
        Membership.user_id == current_user.id,
        Membership.is_active.is_(True),
    )


def _by_hint(slug: str | None):
    """(structure, membership or None) in one query when the slug was seen before; None when
    it was not, or no longer names that structure."""
    structure_id = current_app.extensions.get(SLUG_HINTS, {}).get(slug)
    if structure_id is None:
        return None
    # From here the app's role sees this structure's rows only (ORM filter + RLS).
    tenancy.activate(db.session, structure_id)
    row = db.session.execute(
        select(Structure, Membership)
        .outerjoin(Membership, _membership_here())
        .where(Structure.id == structure_id, Structure.slug == slug)
    ).first()
    if row is None:
        tenancy.deactivate(db.session)
        return None
    return row[0], row[1]


def _by_slug(slug: str | None):
    # No tenant yet: `structures` has no row-level security (no personal data in it).
    structure = lookup.structure_by_slug(db.session, slug)
    if structure is None:
        return None
    tenancy.activate(db.session, structure.id)
    membership = db.session.scalar(select(Membership).where(_membership_here()))
    hints = current_app.extensions.setdefault(SLUG_HINTS, {})
    if len(hints) >= SLUG_HINTS_MAX:
        hints.clear()
    hints[structure.slug] = structure.id
    return structure, membership
