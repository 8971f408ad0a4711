"""Observations from the chantier: written in one tap (idempotent by the id), read as a feed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Activity,
    ActivityFramework,
    Competency,
    Employee,
    Framework,
    Level,
    Membership,
    Scale,
    Team,
)
from siae_app.models.observations import TONES, Observation, ObservationCompetency
from siae_app.services import ServiceError, checked_text, client_ids
from siae_app.services.frameworks.search import fold
from siae_app.services.funding import figures_cache

MAX_TEXT = 2000
FEED_LIMIT = 200


def competencies_for(employee: Employee) -> Select:
    """Competencies of the frameworks linked to the activity of the salarié's team."""
    return (
        select(Competency)
        .join(Framework, Framework.id == Competency.framework_id)
        .join(ActivityFramework, ActivityFramework.framework_id == Framework.id)
        .join(Activity, Activity.id == ActivityFramework.activity_id)
        .join(Team, Team.activity_id == Activity.id)
        .where(Team.id == employee.team_id)
        .where(Framework.is_archived.is_(False), Competency.is_archived.is_(False))
    )


# The citations that order the panel: the last three months' (the competencies in use now),
# which also keeps the count from growing with the team's years of observations.
CITED_RECENTLY_DAYS = 92
# The count is kept this long per team (in the figures' cache: Redis in production): it only
# orders the panel, and counting a team's three months of citations is the costliest query of
# the roster, which every ETI opens many times a day. A citation moves the order within 10 min.
CITED_KEPT_SECONDS = 600


def _citations(session: Session, team_ids: list, today: date) -> dict[uuid.UUID, dict]:
    """Per team, how many times each competency was cited in the last three months (one
    query for the teams not counted in the last minutes)."""
    keys = [f"citations:{team_id}:{today.isoformat()}" for team_id in team_ids]
    counted = dict(zip(team_ids, figures_cache.get_many(keys), strict=True))
    missing = [team_id for team_id, times in counted.items() if times is None]
    if missing:
        since = today - timedelta(days=CITED_RECENTLY_DAYS)
        fresh: dict[uuid.UUID, dict] = {team_id: {} for team_id in missing}
        for team_id, competency_id, times in session.execute(
            select(
                Observation.team_id,
                ObservationCompetency.competency_id,
                func.count(ObservationCompetency.id),
            )
            .join(Observation, Observation.id == ObservationCompetency.observation_id)
            .where(Observation.team_id.in_(missing), Observation.observed_on >= since)
            .group_by(Observation.team_id, ObservationCompetency.competency_id)
        ):
            fresh[team_id][competency_id] = times
        for team_id, times in fresh.items():
            figures_cache.put(
                f"citations:{team_id}:{today.isoformat()}", times, timeout=CITED_KEPT_SECONDS
            )
        counted.update(fresh)
    return counted


@dataclass(frozen=True, slots=True)
class Citable:
    """A competency as the roster's panel shows it: a toggle with its title."""

    id: uuid.UUID
    title: str


def team_competencies(
    session: Session, team_ids, today: date | None = None
) -> dict[uuid.UUID, list[Citable]]:
    """Per team, the competencies an ETI may cite for its salariés, the most cited in the
    team's observations of the last three months first (then in the frameworks' order): the
    roster's observation panel shows them as toggles, so that the usual ones are one tap
    away, with or without network. Two queries for all the teams of a page (one when their
    citations were counted in the last minutes), reading the two columns the panel shows
    (whole competencies would bring their descriptions and knowledge for every roster)."""
    team_ids = list(team_ids)
    if not team_ids:
        return {}
    stmt = (
        select(Team.id, Competency.id, Competency.title)
        .join(ActivityFramework, ActivityFramework.activity_id == Team.activity_id)
        .join(Framework, Framework.id == ActivityFramework.framework_id)
        .join(Competency, Competency.framework_id == Framework.id)
        .where(Team.id.in_(team_ids))
        .where(Framework.is_archived.is_(False), Competency.is_archived.is_(False))
        .order_by(Framework.title, Competency.position)
    )
    found: dict[uuid.UUID, list[Citable]] = {team_id: [] for team_id in team_ids}
    seen = set()  # a framework linked twice to the activity lists its competencies once
    for team_id, competency_id, title in session.execute(stmt):
        if (team_id, competency_id) not in seen:
            seen.add((team_id, competency_id))
            found[team_id].append(Citable(competency_id, title))
    citations = _citations(session, team_ids, today or date.today())
    for team_id, competencies in found.items():
        times = citations[team_id]
        competencies.sort(key=lambda c: -times.get(c.id, 0))  # stable: frameworks' order
    return found


def mine_today(session: Session, visible: Select, author: Membership, day: date) -> list:
    """« Mes observations du jour »: what ``author`` wrote about ``day``, newest first."""
    stmt = (
        visible.where(Observation.author_id == author.id, Observation.observed_on == day)
        .options(selectinload(Observation.employee))
        .order_by(Observation.created_at.desc())
    )
    return list(session.scalars(stmt))


def search_competencies(
    session: Session, employee: Employee, query: str, limit: int = 15
) -> list[Competency]:
    stmt = competencies_for(employee).order_by(Competency.position).limit(limit)
    for word in [w for w in fold(query).split() if len(w) >= 2][:6]:
        stmt = stmt.where(Competency.search_text.like(f"%{word}%"))
    return list(session.scalars(stmt))


def competencies_by_ids(session: Session, employee: Employee, ids) -> list[Competency]:
    ids = list(ids)
    if not ids:
        return []
    return list(session.scalars(competencies_for(employee).where(Competency.id.in_(ids))))


@dataclass
class Draft:
    record_id: uuid.UUID
    text: str
    tone: str = "neutral"
    sensitive: bool = False
    competency_ids: tuple[uuid.UUID, ...] = ()
    level_id: uuid.UUID | None = None


def _same_saved(session: Session, author, employee, draft: Draft, text: str):
    """The observation saved under the draft's id if it is this one sent again: same
    salarié, author and content (the text as saved, tone, sensitivity, level, competencies);
    the day may differ (a phone offline overnight). Any other holder of the id is not
    loaded: the INSERT finds it, visible or not, the same way."""
    saved = session.scalar(
        select(Observation).where(
            Observation.id == draft.record_id,
            Observation.employee_id == employee.id,
            Observation.author_id == author.id,
            Observation.text == text,
            Observation.tone == draft.tone,
            Observation.sensitive == draft.sensitive,
            Observation.level_id == draft.level_id,
        )
    )
    if saved is None or {c.competency_id for c in saved.links} != set(draft.competency_ids):
        return None
    return saved


def create(session: Session, author: Membership, employee: Employee, draft: Draft) -> Observation:
    """Save an observation. The same observation sent again (a replay) returns the saved one
    and changes nothing; an id that another observation holds raises ``IdTaken``."""
    text = checked_text(draft.text, "text", missing="Écrivez l'observation.", max_len=MAX_TEXT)
    if draft.tone not in TONES:
        raise ServiceError("Choisissez le ton de l'observation.", field="tone")
    replayed = _same_saved(session, author, employee, draft, text)
    if replayed is not None:
        return replayed
    competencies = competencies_by_ids(session, employee, set(draft.competency_ids))
    if len(competencies) != len(set(draft.competency_ids)):
        raise ServiceError(
            "Une compétence choisie ne fait pas partie des référentiels de l'équipe.",
            field="competency_ids",
        )
    if draft.level_id is not None and session.get(Level, draft.level_id) is None:
        raise ServiceError("Niveau inconnu.", field="level_id")
    observation = Observation(
        id=draft.record_id,
        employee_id=employee.id,
        author_id=author.id,
        team_id=employee.team_id,
        observed_on=date.today(),
        text=text,
        tone=draft.tone,
        sensitive=draft.sensitive,
        level_id=draft.level_id,
        links=[ObservationCompetency(competency_id=c.id) for c in competencies],
    )
    client_ids.add_new(session, [observation])
    return observation


@dataclass
class FeedFilter:
    competency_id: uuid.UUID | None = None
    tone: str | None = None
    author_id: uuid.UUID | None = None
    start: date | None = None
    end: date | None = None


def feed(session: Session, visible: Select, employee: Employee, f: FeedFilter) -> list:
    """The salarié's observations (``visible``: the reader's scope), newest first."""
    stmt = visible.where(Observation.employee_id == employee.id)
    if f.competency_id:
        cited = select(ObservationCompetency.observation_id).where(
            ObservationCompetency.competency_id == f.competency_id
        )
        stmt = stmt.where(Observation.id.in_(cited))
    if f.tone:
        stmt = stmt.where(Observation.tone == f.tone)
    if f.author_id:
        stmt = stmt.where(Observation.author_id == f.author_id)
    if f.start:
        stmt = stmt.where(Observation.observed_on >= f.start)
    if f.end:
        stmt = stmt.where(Observation.observed_on <= f.end)
    stmt = stmt.options(
        selectinload(Observation.links).selectinload(ObservationCompetency.competency),
        selectinload(Observation.author).selectinload(Membership.user),
        selectinload(Observation.level),
    )
    order = (Observation.observed_on.desc(), Observation.created_at.desc())
    return list(session.scalars(stmt.order_by(*order).limit(FEED_LIMIT)))


def levels(session: Session) -> list[Level]:
    """Levels of the structure's default scale (the first scale when none is marked)."""

    scale = session.scalar(
        select(Scale).order_by(Scale.is_default.desc(), Scale.created_at).limit(1)
    )
    return list(scale.levels) if scale else []
