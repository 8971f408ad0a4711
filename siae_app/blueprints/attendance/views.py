"""Présences: the ETI's « Aujourd'hui » (rosters, one-tap marks), grids and monthly export."""

from __future__ import annotations

import uuid

from flask import abort, g, request
from markupsafe import Markup, escape

from siae_app.blueprints.attendance import bp, loaders
from siae_app.blueprints.attendance.forms import MarkForm
from siae_app.blueprints.forms_common import see_other
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import download, month_arg, streamed_download
from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.models.attendance import ABSENCE_MOTIFS
from siae_app.models.observations import TONES
from siae_app.models.urgent import URGENT_KINDS
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render, wants_fragment
from siae_app.services import ServiceError, immersions, observations
from siae_app.services import attendance as service
from siae_app.services.exports import csv_chunks, xlsx_streamed
from siae_app.services.funding import figures_cache

ROSTER = "attendance/_roster.html"
# Beyond this many salariés, « Aujourd'hui » lists the teams (counts and a link to each roster)
# instead of their rosters: a row is ~1.7 KB, and the coordination of a structure of 3,000
# salariés sees every team (the page would be megabytes).
ROWS_IN_FULL = 120
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _panels(teams) -> dict:
    """The observation panel of each roster (its team's competencies), for who may write."""
    if not allowed(g.membership, Perm.OBSERVATIONS_WRITE):
        return {}
    return observations.team_competencies(db.session, [t.id for t in teams])


def _immersions(rosters) -> dict:
    """Who of the rosters is in an immersion (PMSMP) that day: shown on their row, left out
    of « Tous présents »."""
    ids = [row.employee.id for r in rosters for row in r.rows]
    return immersions.on_day(db.session, ids, rosters[0].day) if rosters else {}


@bp.get("/")
@require(Perm.ATTENDANCE_TODAY)
def today():
    day = loaders.day_arg()
    teams, markable = loaders.today_teams()
    rosters = service.rosters(db.session, teams, day)
    if sum(len(r.rows) for r in rosters) > ROWS_IN_FULL:
        return render("attendance/today.html", rosters=rosters, day=day, listed=True)
    return render(
        "attendance/today.html",
        rosters=rosters,
        day=day,
        markable=markable,
        immersions=_immersions(rosters),
        panels=_panels(teams),
        tones=TONES,
        kinds=URGENT_KINDS,
    )


@bp.get("/equipes/<uuid:team_id>")
@require(Perm.ATTENDANCE_TODAY)
def roster(team_id: uuid.UUID):
    team, can_mark = loaders.roster_team(team_id)
    day = loaders.day_arg()
    (the_roster,) = service.rosters(db.session, [team], day)
    markable = {team.id} if can_mark else set()
    return render(
        "attendance/roster.html",
        roster=the_roster,
        day=day,
        markable=markable,
        immersions=_immersions([the_roster]),
        panels=_panels([team]),
        tones=TONES,
        kinds=URGENT_KINDS,
    )


def _answer(roster, errors=None, status=200, away=None):
    """An htmx POST gets the roster again (with the errors); any other POST a 303. ``away``:
    the roster's immersions of the day, when the caller read them already."""
    if away is None and (errors or wants_fragment()):
        away = _immersions([roster])
    if wants_fragment():
        page = render(
            ROSTER, roster=roster, markable={roster.team.id}, errors=errors, immersions=away
        )
        return page, status
    if errors:
        page = render(
            "attendance/roster.html",
            roster=roster,
            day=roster.day,
            markable={roster.team.id},
            errors=errors,
            immersions=away,
            panels=_panels([roster.team]),
            tones=TONES,
            kinds=URGENT_KINDS,
        )
        return page, status
    return see_other(".roster", None, team_id=roster.team.id, jour=roster.day.isoformat())


@bp.post("/equipes/<uuid:team_id>/tous-presents")
@require(Perm.ATTENDANCE_MARK)
def all_present(team_id: uuid.UUID):
    team = loaders.markable_team(team_id)
    day = loaders.day_arg(markable=True)
    ids = {}
    for key, value in request.form.items():
        if key.startswith("rec-"):
            try:
                ids[uuid.UUID(key[4:])] = uuid.UUID(value)
            except ValueError:
                abort(400)
    (the_roster,) = service.rosters(db.session, [team], day)
    away = _immersions([the_roster])
    for employee_id in away:  # may be at their host that day: marked one by one
        ids.pop(employee_id, None)
    try:
        service.mark_all_present(db.session, g.membership, the_roster, ids)
    except ServiceError as exc:
        return _answer(the_roster, {"": exc.message}, exc.status, away)  # above the roster
    return _answer(the_roster, away=away)


def _mark_from(form: MarkForm) -> service.Mark:
    return service.Mark(
        record_id=uuid.UUID(form.record_id.data),
        employee_id=uuid.UUID(form.employee_id.data),
        status=form.status.data,
        motif=form.motif.data or None,
        late_minutes=form.late_minutes.data,
        hours_worked=form.hours_worked.data,
    )


@bp.post("/equipes/<uuid:team_id>/marquer")
@require(Perm.ATTENDANCE_MARK)
def mark(team_id: uuid.UUID):
    team = loaders.markable_team(team_id)
    day = loaders.day_arg(markable=True)
    (the_roster,) = service.rosters(db.session, [team], day)
    form = MarkForm()
    if not form.validate_on_submit():
        message = " ".join(e for errs in form.errors.values() for e in errs)
        return _answer(the_roster, {form.employee_id.data: message}, 422)
    try:
        service.mark(db.session, g.membership, the_roster, _mark_from(form))
    except ServiceError as exc:
        return _answer(the_roster, {form.employee_id.data: exc.message}, exc.status)
    return _answer(the_roster)


# ------------------------------------------------------------------ grids


def _period():
    view = request.args.get("vue", "mois")
    if view not in ("mois", "semaine"):
        abort(400)
    day = loaders.any_day()
    start, end = service.month_of(day) if view == "mois" else service.week_of(day)
    return view, day, start, end


def _page_arg() -> int:
    raw = request.args.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _kept_totals(stmt, start, end, team_id) -> service.Totals:
    """The scope's totals over the period, kept until the structure's data changes: at 3,000
    salariés a month of the whole structure is ~66,000 marks to add up (50–75 ms), for a
    figure that changes only when a mark does. The scope is the person's: all the salariés,
    or an ETI's own teams (whose changes move the revision too)."""
    scope = f"eti-{g.membership.id}" if scopes.sees_only_own_teams(g.membership) else "all"
    name = f"presences:{scope}:{team_id or 'toutes'}:{start.isoformat()}:{end.isoformat()}"
    return figures_cache.kept(
        db.session,
        g.structure.id,
        name,
        lambda: service.scope_totals(db.session, stmt, start, end, team_id),
    )


@bp.get("/grille")
@require(Perm.ATTENDANCE_GRID)
def team_grid():
    view, day, start, end = _period()
    team = loaders.team_arg()
    team_id = team.id if team else None
    stmt = scopes.employees(g.membership)
    if team is not None:
        stmt = service.team_members_stmt(stmt, team.id, start, end)
    named = allowed(g.membership, Perm.ATTENDANCE_NAMED)
    totals = _kept_totals(stmt, start, end, team_id)
    if named:
        the_grid = service.grid_page(
            db.session, stmt, start, end, team_id, _page_arg(), totals=totals
        )
    else:  # the totals only: no salarié is read
        the_grid = service.Grid(start, end, [], totals)
    return render(
        "attendance/grid.html",
        grid=the_grid,
        view=view,
        day=day,
        team=team,
        teams=loaders.all_teams(),
        named=named,
        motifs=ABSENCE_MOTIFS,
    )


@bp.get("/salaries/<uuid:employee_id>")
@require(Perm.ATTENDANCE_NAMED)
def employee_grid(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    view, day, start, end = _period()
    stmt = scopes.employees(g.membership).where(Employee.id == employee.id)
    the_grid = service.grid(db.session, stmt, start, end)
    return render(
        "attendance/employee.html",
        grid=the_grid,
        view=view,
        day=day,
        employee=employee,
        motifs=ABSENCE_MOTIFS,
    )


# ------------------------------------------------------------------ monthly export


def _export_data():
    """The month's rows (a generator: the file is written as they come) and the file name.
    The two queries run here, before the file is sent."""
    day = month_arg()
    start, end = service.month_of(day)
    team = loaders.team_arg()
    stmt = scopes.employees(g.membership)
    if team is not None:
        stmt = service.team_members_stmt(stmt, team.id, start, end)
    data = service.month_export(db.session, stmt, start, end, team.id if team else None)
    name = f"heures-{start:%Y-%m}" + (f"-{team.name}" if team else "")
    return service.export_rows(data), name


@bp.get("/export.csv")
@require(Perm.ATTENDANCE_NAMED)
def export_csv():
    rows, name = _export_data()
    return streamed_download(csv_chunks(service.EXPORT_HEADER, rows), "text/csv", name, "csv")


@bp.get("/export.xlsx")
@require(Perm.ATTENDANCE_NAMED)
def export_xlsx():
    rows, name = _export_data()
    return download(xlsx_streamed("Heures", service.EXPORT_HEADER, rows), XLSX, name, "xlsx")


@bp.app_template_filter("grid_cells")
def grid_cells(line: service.GridLine, days) -> Markup:
    """The day cells of a grid line: the hours, or « A » with the motif on hover, or empty.
    Written here rather than by the template's loop (a page has thousands of them), each
    distinct cell escaped once."""
    made: dict = {None: "<td></td>"}
    parts = []
    for day in days:
        rec = line.cells.get(day)
        key = None if rec is None else (rec.status == "absent", rec.motif, rec.hours_worked)
        if key not in made:
            if key[0]:
                made[key] = f'<td><abbr title="{escape(rec.motif_label)}">A</abbr></td>'
            else:
                made[key] = f"<td>{escape(rec.hours_label)}</td>"
        parts.append(made[key])
    return Markup("".join(parts))  # noqa: S704 (every text above went through escape)


@bp.context_processor
def _labels():
    return {"ABSENCE_MOTIFS": ABSENCE_MOTIFS}
