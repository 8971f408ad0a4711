"""Teams and activités support of a structure."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Activity,
    ActivityFramework,
    Employee,
    Framework,
    Membership,
    Role,
    Team,
    TeamSupervisor,
    User,
)
from siae_app.services import ServiceError


def eti_memberships(session: Session) -> list[Membership]:
    """Active staff who may supervise a team (ETI role)."""
    rows = session.scalars(select(Membership).where(Membership.is_active.is_(True))).all()
    return sorted(
        (m for m in rows if Role.ETI in m.role_set),
        key=lambda m: (m.user.last_name.lower(), m.user.first_name.lower()),
    )


class TeamCard(NamedTuple):
    """A team as the teams page shows it (plain values: a structure may have a hundred)."""

    id: uuid.UUID
    name: str
    is_archived: bool
    location: str | None
    activity_name: str | None
    supervisors: tuple[str, ...]  # their names, by last name


def cards(session: Session, teams: Select) -> list[TeamCard]:
    """The teams ``teams`` selects (a scoped select of Team), archived last, by name; two
    queries, plain rows."""
    rows = session.execute(
        teams.with_only_columns(Team.id, Team.name, Team.is_archived, Team.location, Activity.name)
        .outerjoin(Activity, Activity.id == Team.activity_id)
        .order_by(Team.is_archived, Team.name)
    ).all()
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    supervisors = (
        select(TeamSupervisor.team_id, User.first_name, User.last_name)
        .join(Membership, Membership.id == TeamSupervisor.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(TeamSupervisor.team_id.in_(teams.with_only_columns(Team.id).order_by(None)))
        .order_by(User.last_name, User.first_name)
    )
    for team_id, first_name, last_name in session.execute(supervisors):
        names[team_id].append(f"{first_name} {last_name}")
    return [TeamCard(*row, tuple(names[row[0]])) for row in rows]


def employees_in_parcours(session: Session, team_ids: list, today: date) -> dict:
    """{team id: salariés en parcours} for the teams listed, counted by SQL in one query."""
    if not team_ids:
        return {}
    stmt = (
        select(Employee.team_id, func.count(Employee.id))
        .where(
            Employee.team_id.in_(team_ids),
            or_(Employee.exit_date.is_(None), Employee.exit_date > today),
        )
        .group_by(Employee.team_id)
    )
    return dict(session.execute(stmt).all())


def _check_unique_name(session: Session, model, name: str, current_id=None) -> str:
    name = name.strip()
    # Compared in Python: SQLite's lower() ignores accents' case (É/é), and a structure
    # has a few dozen teams at most.
    rows = session.execute(select(model.id, model.name)).all()
    if any(n.casefold() == name.casefold() and i != current_id for i, n in rows):
        raise ServiceError(f"Le nom « {name} » est déjà utilisé dans la structure.", field="name")
    return name


def save_team(
    session: Session,
    team: Team | None,
    *,
    name: str,
    activity_id: uuid.UUID | None,
    location: str | None,
    supervisor_ids: list[uuid.UUID],
) -> Team:
    name = _check_unique_name(session, Team, name, team.id if team else None)
    if team is None:
        team = Team(name=name)
        session.add(team)
    team.name, team.activity_id, team.location = name, activity_id, (location or None)
    wanted = set(supervisor_ids)
    allowed = {m.id for m in eti_memberships(session)}
    if not wanted <= allowed:
        raise ServiceError("Un encadrant choisi ne fait pas partie de la structure.")
    team.supervisions = [s for s in team.supervisions if s.membership_id in wanted]
    present = {s.membership_id for s in team.supervisions}
    for mid in wanted - present:
        team.supervisions.append(TeamSupervisor(membership_id=mid))
    session.flush()
    return team


def save_activity(
    session: Session,
    activity: Activity | None,
    *,
    name: str,
    description: str | None,
    framework_ids: list[uuid.UUID] | None = None,
) -> Activity:
    name = _check_unique_name(session, Activity, name, activity.id if activity else None)
    if activity is None:
        activity = Activity(name=name)
        session.add(activity)
    activity.name, activity.description = name, (description or None)
    session.flush()
    if framework_ids is not None:
        _set_frameworks(session, activity, set(framework_ids))
    return activity


def activity_framework_ids(session: Session, activity: Activity) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(ActivityFramework.framework_id).where(
                ActivityFramework.activity_id == activity.id
            )
        )
    )


def _set_frameworks(session: Session, activity: Activity, wanted: set[uuid.UUID]) -> None:
    known = set(session.scalars(select(Framework.id)))  # the tenant's frameworks only
    if not wanted <= known:
        raise ServiceError("Un référentiel choisi n'existe pas dans la structure.")
    links = session.scalars(
        select(ActivityFramework).where(ActivityFramework.activity_id == activity.id)
    ).all()
    for link in links:
        if link.framework_id not in wanted:
            session.delete(link)
    for fid in wanted - {link.framework_id for link in links}:
        session.add(ActivityFramework(activity_id=activity.id, framework_id=fid))
    session.flush()


def set_archived(session: Session, obj: Team | Activity, archived: bool) -> None:
    obj.is_archived = archived
    session.flush()
