"""Structure home page and the direction's dashboard (« Pilotage »)."""

from __future__ import annotations

from datetime import date

from flask import g
from flask_login import current_user
from sqlalchemy import select

from siae_app.blueprints.home import bp
from siae_app.blueprints.routes_common import year_arg
from siae_app.extensions import db
from siae_app.models import RenewalStatus, Team
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import accounts, observations, renewals
from siae_app.services.funding import dashboard


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
    mine_today = None  # « Mes observations du jour », for whoever writes them
    if can(Perm.OBSERVATIONS_WRITE):
        visible = scopes.observations(g.membership)
        mine_today = observations.mine_today(db.session, visible, g.membership, date.today())
    return render(
        "home/index.html",
        renewals_due=_renewals_due(bool(my_teams)),
        today=date.today(),
        my_teams=my_teams,
        other_memberships=others,
        to_approve=to_approve,
        mine_today=mine_today,
    )


def _renewals_due(supervises: bool) -> tuple[str, list] | None:
    """The renewals waiting for this person: the ETI's opinion (their teams), the
    direction's decision. (The CIP's proposals are among their alerts.)"""
    if can(Perm.RENEWAL_DECIDE):
        step, endpoint = RenewalStatus.DECISION, "s.employees.renewal_decision"
    elif can(Perm.RENEWAL_OPINION) and supervises:
        step, endpoint = RenewalStatus.OPINION, "s.employees.renewal_opinion"
    else:
        return None
    found = renewals.open_circuits(
        db.session, scopes.employees(g.membership), g.structure, date.today()
    )
    return endpoint, renewals.waiting_for(found, step)


@bp.get("/pilotage")
@require(Perm.PILOTAGE_VIEW)
def pilotage():
    """Tableau de bord: the structure today, this month and over the chosen year."""
    today = date.today()
    year = year_arg(today)
    board = dashboard.summary(db.session, g.structure, year, today)
    unsupervised = db.session.scalars(
        select(Team)
        .where(Team.is_archived.is_(False), ~Team.supervisions.any())
        .order_by(Team.name)
    ).all()
    return render(
        "home/pilotage.html",
        board=board,
        exit_rows=dashboard.exit_rows(board),
        years=range(today.year, today.year - 6, -1),
        unsupervised=unsupervised,
    )
