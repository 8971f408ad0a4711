"""Teams and activities from URL ids: 404 when outside the tenant or the membership's scope."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from siae_app.extensions import db
from siae_app.models import Activity, Team, TeamSupervisor
from siae_app.permissions import scopes


def team_query() -> Select:
    # Two queries: the team with its activity, then its supervisors with their accounts.
    return select(Team).options(
        selectinload(Team.supervisions).joinedload(TeamSupervisor.membership),
        joinedload(Team.activity),
    )


def team(team_id: uuid.UUID) -> Team:
    """A team the current membership may see (an ETI: only a team they supervise)."""
    return db.first_or_404(scopes.teams(g.membership, team_query()).where(Team.id == team_id))


def activity(activity_id: uuid.UUID) -> Activity:
    return db.first_or_404(select(Activity).where(Activity.id == activity_id))
