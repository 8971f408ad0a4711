"""Structure home page and the direction's pilotage overview."""

from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import func, select

from siae_app.blueprints.home import bp
from siae_app.extensions import db
from siae_app.models import Activity, Membership, Role, Team
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import accounts


@bp.get("/")
@require(Perm.HOME)
def index():
    my_teams = db.session.scalars(
        scopes.supervised_teams(g.membership).where(Team.is_archived.is_(False)).order_by(Team.name)
    ).all()
    others = [
        m
        for m in accounts.active_memberships(db.session, current_user.id)
        if m.structure_id != g.structure.id
    ]
    to_approve = (
        len(accounts.waiting_for(db.session, g.membership)) if can(Perm.MEMBERS_APPROVE) else 0
    )
    return render(
        "home/index.html", my_teams=my_teams, other_memberships=others, to_approve=to_approve
    )


@bp.get("/pilotage")
@require(Perm.PILOTAGE_VIEW)
def pilotage():
    members = db.session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    by_role = {role: sum(1 for m in members if role in m.role_set) for role in Role}
    counts = {
        "teams": db.session.scalar(select(func.count(Team.id)).where(Team.is_archived.is_(False))),
        "activities": db.session.scalar(
            select(func.count(Activity.id)).where(Activity.is_archived.is_(False))
        ),
        "members": len(members),
    }
    unsupervised = db.session.scalars(
        select(Team)
        .where(Team.is_archived.is_(False), ~Team.supervisions.any())
        .order_by(Team.name)
    ).all()
    return render("home/pilotage.html", by_role=by_role, counts=counts, unsupervised=unsupervised)
