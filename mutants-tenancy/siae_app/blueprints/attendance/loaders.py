"""Teams, days and periods of the attendance screens: 404 outside the membership's scope,
400 for a day that cannot be marked or read."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import abort, g, request
from sqlalchemy import Select, false, select

from siae_app.extensions import db
from siae_app.models import Team
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed

# How far back an ETI may still correct a day.
MARKABLE_DAYS = 31


def markable_team(team_id: uuid.UUID) -> Team:
    return db.first_or_404(scopes.markable_teams(g.membership).where(Team.id == team_id))


def visible_team(team_id: uuid.UUID) -> Team:
    return db.first_or_404(scopes.teams(g.membership).where(Team.id == team_id))


def _with_markable(stmt: Select) -> Select:
    """Add to a select of teams whether the membership may mark each one (same query)."""
    if not allowed(g.membership, Perm.ATTENDANCE_MARK):
        return stmt.add_columns(false())
    markable_ids = scopes.markable_teams(g.membership, select(Team.id))
    return stmt.add_columns(Team.id.in_(markable_ids))


def _split(rows) -> tuple[list[Team], set[uuid.UUID]]:
    teams, markable = [], set()
    for team, can_mark in rows:
        teams.append(team)
        if can_mark:
            markable.add(team.id)
    return teams, markable


def roster_team(team_id: uuid.UUID) -> tuple[Team, bool]:
    """A visible team and whether the membership may mark it (one query), or 404."""
    row = db.session.execute(
        _with_markable(scopes.teams(g.membership).where(Team.id == team_id))
    ).first()
    if row is None:
        abort(404)
    return row[0], bool(row[1])


def today_teams() -> tuple[list[Team], set[uuid.UUID]]:
    """The teams the person supervises; for CIP and coordination without a team, all. With
    the ids of those the person may mark (same query)."""
    order = (Team.name,)
    active = Team.is_archived.is_(False)
    own = _split(
        db.session.execute(
            _with_markable(scopes.supervised_teams(g.membership).where(active).order_by(*order))
        )
    )
    if own[0] or scopes.sees_only_own_teams(g.membership):
        return own
    every = scopes.teams(g.membership).where(active).order_by(*order)
    return _split(db.session.execute(_with_markable(every)))


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
