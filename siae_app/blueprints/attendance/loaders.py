"""Teams and salariés of the attendance screens: 404 outside the membership's scope."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import abort, g, request
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Employee, Team
from siae_app.permissions import scopes

# How far back an ETI may still correct a day.
MARKABLE_DAYS = 31


def markable_team(team_id: uuid.UUID) -> Team:
    return db.first_or_404(scopes.markable_teams(g.membership).where(Team.id == team_id))


def visible_team(team_id: uuid.UUID) -> Team:
    return db.first_or_404(scopes.teams(g.membership).where(Team.id == team_id))


def employee(employee_id: uuid.UUID) -> Employee:
    return db.first_or_404(scopes.employees(g.membership).where(Employee.id == employee_id))


def today_teams() -> list[Team]:
    """The teams the person supervises; for CIP and coordination without a team, all."""
    order = (Team.name,)
    active = Team.is_archived.is_(False)
    own = db.session.scalars(
        scopes.supervised_teams(g.membership).where(active).order_by(*order)
    ).all()
    if own or scopes.sees_only_own_teams(g.membership):
        return list(own)
    return list(db.session.scalars(scopes.teams(g.membership).where(active).order_by(*order)))


def day_arg(name: str = "jour", *, markable: bool = False) -> date:
    """The day in the query string or the form (ISO), today by default; never in the future."""
    raw = request.values.get(name)
    today = date.today()
    try:
        day = date.fromisoformat(raw) if raw else today
    except ValueError:
        abort(400)
    too_old = markable and day < today - timedelta(days=MARKABLE_DAYS)
    if day > today or too_old:
        abort(400)
    return day


def any_day(name: str = "date") -> date:
    raw = request.args.get(name)
    try:
        return date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        abort(400)


def team_arg() -> Team | None:
    raw = request.args.get("equipe")
    if not raw:
        return None
    try:
        team_id = uuid.UUID(raw)
    except ValueError:
        abort(404)
    return visible_team(team_id)


def all_teams() -> list[Team]:
    return list(db.session.scalars(scopes.teams(g.membership).order_by(Team.name)))


def team_names() -> dict:
    return dict(db.session.execute(select(Team.id, Team.name)).tuples().all())
