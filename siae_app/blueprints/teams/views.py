"""Équipes and activités support: the ETI sees the teams they supervise."""

from __future__ import annotations

import uuid
from datetime import date

from flask import g
from sqlalchemy import select

from siae_app.blueprints.forms_common import (
    FormFlow,
    choices,
    edit_form,
    form_page,
    see_other,
    uuid_or_none,
    uuids,
)
from siae_app.blueprints.routes_common import GET_POST
from siae_app.blueprints.teams import bp, loaders
from siae_app.blueprints.teams.forms import ActivityForm, TeamForm
from siae_app.extensions import db
from siae_app.models import Activity, ActivityFramework, Framework, Team
from siae_app.navigation import OWN_TEAMS_TITLE, TEAMS_TITLE
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render
from siae_app.services import teams as team_service
from siae_app.services.employees.listing import count_label
from siae_app.services.frameworks import queries

TEAM = FormFlow(
    TeamForm,
    team_service.save_team,
    fields=("name", "location"),
    error_field="supervisor_ids",
    message="Équipe « {0.name} » enregistrée.",
    back=".team",
    back_with={"team_id": "id"},
    converted={"activity_id": uuid_or_none, "supervisor_ids": uuids},
)
ACTIVITY = FormFlow(
    ActivityForm,
    team_service.save_activity,
    fields=("name", "description"),
    error_field="name",
    message="Activité support « {0.name} » enregistrée.",
    back=".index",
    converted={"framework_ids": uuids},
)


@bp.get("/")
@require(Perm.TEAMS_VIEW)
def index():
    own_only = scopes.sees_only_own_teams(g.membership)
    teams = team_service.cards(db.session, scopes.teams(g.membership))
    counts = {}
    if allowed(g.membership, Perm.EMPLOYEES_VIEW):
        counts = team_service.employees_in_parcours(db.session, [t.id for t in teams], date.today())
    activities = db.session.scalars(select(Activity).order_by(Activity.is_archived, Activity.name))
    return render(
        "teams/index.html",
        teams=teams,
        counts=counts,
        count_label=count_label,
        activities=activities.all(),
        own_only=own_only,
        title=OWN_TEAMS_TITLE if own_only else TEAMS_TITLE,
    )


def _activity_frameworks(activity: Activity | None) -> list[Framework]:
    """The frameworks proposed to evaluate the employees of this activity (current ones)."""
    if activity is None:
        return []
    stmt = (
        select(Framework)
        .join(ActivityFramework, ActivityFramework.framework_id == Framework.id)
        .where(ActivityFramework.activity_id == activity.id, Framework.is_archived.is_(False))
        .order_by(Framework.title)
    )
    return list(db.session.scalars(stmt))


def _team_page(team: Team) -> str:
    frameworks = _activity_frameworks(team.activity)
    return render("teams/team.html", team=team, frameworks=frameworks)


@bp.get("/<uuid:team_id>")
@require(Perm.TEAMS_VIEW)
def team(team_id: uuid.UUID):
    return _team_page(loaders.team(team_id))


def _team_form(team: Team | None) -> TeamForm:
    # A POST is read from what was sent only (an empty POST must not keep the stored values).
    form = edit_form(TeamForm, team)
    activities = db.session.scalars(
        select(Activity).where(Activity.is_archived.is_(False)).order_by(Activity.name)
    ).all()
    form.activity_id.choices = choices([("", "— Aucune —")] + [(a.id, a.name) for a in activities])
    form.supervisor_ids.choices = choices(
        (m.id, m.user.full_name) for m in team_service.eti_memberships(db.session)
    )
    if team is not None and not form.is_submitted():
        form.activity_id.data = str(team.activity_id) if team.activity_id else ""
        form.supervisor_ids.data = [str(s.membership_id) for s in team.supervisions]
    return form


def _team_form_page(team: Team | None):
    """The creation (``team`` None) or edit page of a team: GET shows it, POST saves it."""
    page = form_page("teams/team_form.html", team=team)
    return TEAM.run(_team_form(team), page, team)


@bp.route("/nouvelle", methods=GET_POST)
@require(Perm.TEAMS_MANAGE)
def new_team():
    return _team_form_page(None)


@bp.route("/<uuid:team_id>/modifier", methods=GET_POST)
@require(Perm.TEAMS_MANAGE)
def edit_team(team_id: uuid.UUID):
    return _team_form_page(loaders.team(team_id))


@bp.post("/<uuid:team_id>/archiver")
@require(Perm.TEAMS_MANAGE)
def archive_team(team_id: uuid.UUID):
    team = loaders.team(team_id)
    team_service.set_archived(db.session, team, not team.is_archived)
    state = "archivée" if team.is_archived else "réactivée"
    return see_other(".team", f"Équipe « {team.name} » {state}.", team_id=team.id)


def _activity_form_page(activity: Activity | None):
    """The creation (``activity`` None) or edit page of an activité: GET shows, POST saves."""
    form = edit_form(ActivityForm, activity)
    frameworks = db.session.scalars(
        queries.current_frameworks_query()
        .where(Framework.is_archived.is_(False))
        .order_by(Framework.title)
    ).all()
    form.framework_ids.choices = choices(
        (f.id, f"{f.title} (v{f.version_number})") for f in frameworks
    )
    if activity is not None and not form.is_submitted():
        form.framework_ids.data = [
            str(i) for i in team_service.activity_framework_ids(db.session, activity)
        ]
    page = form_page("teams/activity_form.html", activity=activity)
    return ACTIVITY.run(form, page, activity)


@bp.route("/activites/nouvelle", methods=GET_POST)
@require(Perm.TEAMS_MANAGE)
def new_activity():
    return _activity_form_page(None)


@bp.route("/activites/<uuid:activity_id>/modifier", methods=GET_POST)
@require(Perm.TEAMS_MANAGE)
def edit_activity(activity_id: uuid.UUID):
    return _activity_form_page(loaders.activity(activity_id))
