"""Where a person lands once signed in."""

from __future__ import annotations

from flask import redirect, session, url_for

from siae_app.extensions import db
from siae_app.models import User
from siae_app.services import accounts


def home_for(user: User):
    """After sign-in: the chooser when invitations wait, else the structure used last."""
    if accounts.pending_invitations(db.session, user.id):
        return redirect(url_for("auth.choose_structure"))
    memberships = accounts.active_memberships(db.session, user.id)
    slugs = [m.structure.slug for m in memberships]
    last = session.get("last_structure")
    if last in slugs:
        return redirect(url_for("s.home.index", structure_slug=last))
    if len(slugs) == 1:
        return redirect(url_for("s.home.index", structure_slug=slugs[0]))
    return redirect(url_for("auth.choose_structure"))
