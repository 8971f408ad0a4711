"""Benchmark: every role's pages in a structure of 3,000 salariés, as ratios of a bare page.

    .venv/bin/python bench/scale_pages.py                   # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/scale_pages.py               # an existing, empty PostgreSQL base
    .venv/bin/python bench/scale_pages.py --salaries 300 --equipes 20   # another size

Loads ``flask demo reference`` at the size given (by default 3,000 salariés in 100 teams,
60 days of attendance, 20,000 observations), then measures interleaved medians of the pages
each role opens most — the ETI's « Aujourd'hui », a team's roster and page; the CIP's list
(first page, and filtered « fin dans 12 semaines »), a salarié's file, the alerts; the
coordination's month grid of the whole structure, the teams (each with its salariés en
parcours), the alerts and the dashboard; the direction's dashboard — against the bare
signed-in page ``/s/<slug>/mesure`` (bench/chantier.py's baseline), with each page's raw HTML
size. Targets: every page at most 6× the bare page, none over 200 KB. The dashboard and the
alerts are measured as served (their figures and lines kept between requests, as in
production with Redis) and recomputed (the cache emptied before each sample, as after a commit
changing the structure's data); the alerts also after an attendance mark (committed before each
sample, as all morning of roll calls: their lines stay kept, the absences are read again) and
after a salarié's file changed (their lines alone computed again), the dashboard after an
action saved (it reads none: kept). On
PostgreSQL the requests run as the application's role, under row-level security. The last
line is one JSON object.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.chantier import medians_ms  # noqa: E402  (adds the bare page /mesure)
from bench.common import (  # noqa: E402
    TINY,
    apps,
    database_url,
    eti_first_team,
    load_reference_set,
    report,
    runs,
    say_database,
    sign_in,
)
from siae_app import tenancy  # noqa: E402
from siae_app.demo.reference import PASSWORD, SLUG, Size, email  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Action, Attendance, Employee, Membership, User  # noqa: E402
from siae_app.services.funding import figures_cache  # noqa: E402

RUNS = runs(7)
BUDGET_RATIO = 6.0
BUDGET_KB = 200


def arguments() -> Size:
    parser = argparse.ArgumentParser(description="Pages de chaque rôle à grande taille.")
    parser.add_argument("--salaries", type=int, default=40 if TINY else 3000)
    parser.add_argument("--equipes", type=int, default=4 if TINY else 100)
    parser.add_argument("--jours", type=int, default=10 if TINY else 60)
    parser.add_argument("--observations", type=int, default=300 if TINY else 20000)
    a = parser.parse_args()
    return Size(a.salaries, a.equipes, a.jours, a.observations)


def prepare(owner, size: Size) -> dict:
    with owner.app_context():
        load_reference_set(owner, size)
        team = eti_first_team(db.session)
        employee = db.session.scalar(
            select(Employee).where(Employee.team_id == team.id).order_by(Employee.last_name)
        )
        cip = db.session.scalar(select(Membership).join(User).where(User.email == email("cip1")))
        followed = db.session.scalar(
            select(Employee.id)
            .where(Employee.referent_id == cip.id, Employee.exit_date.is_(None))
            .order_by(Employee.last_name)
        )
        ids = {"team": team.id, "employee": employee.id, "cip_employee": followed}
        db.session.remove()
        return ids


def forget_dashboard(app):
    """The dashboard's kept figures (services/funding/dashboard.py: its figures under the
    files' revision, year and day; its attendance rate under « presences » and the day), as
    after a commit that changes the structure's data; the other measures' entries (the grid's
    totals, the panels' citations, the alerts' lines) stay kept."""

    def forget():
        with app.app_context():
            kept = figures_cache._cache()
            today = date.today()
            figures = f":{today.year}:{today.isoformat()}"
            presences = f":presences:{today.isoformat()}"
            for key in [k for k in kept._cache if k.endswith((figures, presences))]:
                kept.delete(key)

    return forget


def forget_alerts(app, coordination: bool):
    """One person's kept alert lines (services/alert_lines.py: the coordination's end with
    « toutes »), as after a commit that changes the structure's data; the other measures'
    entries stay kept."""

    def forget():
        with app.app_context():
            kept = figures_cache._cache()
            for key in [k for k in kept._cache if ":alertes:" in k]:
                if key.endswith(":toutes") == coordination:
                    kept.delete(key)

    return forget


def mark_attendance(owner, employee_id):
    """A roll call's mark committed (its late minutes change at each call, so that each one
    is a change): the figures' revision moves, the files' one, which the alerts' lines are
    kept under, does not."""

    def mark():
        with owner.app_context():
            tenancy.activate_system(db.session)
            found = db.session.scalar(
                select(Attendance).where(
                    Attendance.employee_id == employee_id, Attendance.day == date.today()
                )
            )
            if found is None:
                employee = db.session.get(Employee, employee_id)
                found = Attendance(
                    structure_id=employee.structure_id,
                    employee_id=employee_id,
                    team_id=employee.team_id,
                    day=date.today(),
                    status="present",
                    hours_worked=7,
                )
                db.session.add(found)
            found.late_minutes = (found.late_minutes or 0) % 30 + 5
            db.session.commit()
            db.session.remove()

    return mark


def edit_file(owner, employee_id):
    """A salarié's file changed and committed (their phone number, another at each call): the
    files' revision moves, its log names that salarié alone."""

    def edit():
        with owner.app_context():
            tenancy.activate_system(db.session)
            employee = db.session.get(Employee, employee_id)
            employee.phone = "06 12 34 56 78" if employee.phone != "06 12 34 56 78" else None
            db.session.commit()
            db.session.remove()

    return edit


def save_action(owner, employee_id):
    """An action of a salarié's plan saved (its due date moves at each call): the files'
    revision moves, the dashboard's does not (it reads no action)."""

    def save():
        with owner.app_context():
            tenancy.activate_system(db.session)
            action = db.session.scalar(
                select(Action).where(Action.employee_id == employee_id, Action.label == "Banc")
            )
            if action is None:
                employee = db.session.get(Employee, employee_id)
                action = Action(
                    structure_id=employee.structure_id, employee_id=employee_id, label="Banc"
                )
                db.session.add(action)
            soon = date.today() + timedelta(days=3)
            action.due_date = soon if action.due_date != soon else soon - timedelta(days=6)
            db.session.commit()
            db.session.remove()

    return save


def main() -> None:
    size = arguments()
    url = database_url()
    # The dashboard's figures kept in this process (production keeps them in Redis).
    owner, app = apps(url, FIGURES_CACHE="memory")
    # One cache for both, as Redis is for every worker: the commits of the loading app (its
    # marks, its edits) log their changes where the measured app reads them.
    owner.extensions[figures_cache.EXTENSION] = app.extensions[figures_cache.EXTENSION]
    started = time.perf_counter()
    ids = prepare(owner, size)
    print(
        f"Jeu de référence ({size.employees} salariés, {size.teams} équipes) chargé en "
        f"{time.perf_counter() - started:.0f} s"
    )
    clients = {}
    for who in ("eti01", "cip1", "coordination", "direction"):
        clients[who] = app.test_client()
        sign_in(clients[who], email(who), PASSWORD)
    s = f"/s/{SLUG}"
    team, employee = ids["team"], ids["employee"]
    pages = {
        "baseline": ("eti01", f"{s}/mesure"),
        "ETI Aujourd'hui": ("eti01", f"{s}/presences/"),
        "ETI appel d'une équipe": ("eti01", f"{s}/presences/equipes/{team}"),
        "ETI page d'équipe": ("eti01", f"{s}/equipes/{team}"),
        "CIP liste, 1re page": ("cip1", f"{s}/salaries/"),
        "CIP liste, fin dans 12 sem.": ("cip1", f"{s}/salaries/?fin=12"),
        "CIP dossier d'un salarié": ("cip1", f"{s}/salaries/{employee}"),
        "CIP alertes": ("cip1", f"{s}/alertes/"),
        "Coordination alertes": ("coordination", f"{s}/alertes/"),
        "Coordination grille du mois": ("coordination", f"{s}/presences/grille?vue=mois"),
        "Coordination équipes": ("coordination", f"{s}/equipes/"),
        "Coordination pilotage": ("coordination", f"{s}/pilotage"),
        "Direction tableau de bord": ("direction", f"{s}/pilotage"),
    }

    def fetch(who: str, path: str):
        def go():
            answer = clients[who].get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            answer.get_data()

        return go

    measures = {name: (fetch(who, path), None) for name, (who, path) in pages.items()}
    measures["Direction tableau de bord, recalculé"] = (
        fetch("direction", f"{s}/pilotage"),
        forget_dashboard(app),
    )
    for who, name in (("cip1", "CIP alertes"), ("coordination", "Coordination alertes")):
        measures[f"{name}, recalculées"] = (
            fetch(who, f"{s}/alertes/"),
            forget_alerts(app, who == "coordination"),
        )
    results = medians_ms(measures, RUNS)
    # Apart: each mark moves the figures' revision for the measures that follow it.
    marked = {"baseline": (fetch("eti01", f"{s}/mesure"), None)}
    for who, name, path in (
        ("cip1", "CIP alertes", f"{s}/alertes/"),
        ("coordination", "Coordination alertes", f"{s}/alertes/"),
        ("direction", "Direction tableau de bord", f"{s}/pilotage"),
    ):
        marked[f"{name}, après un pointage"] = (fetch(who, path), mark_attendance(owner, employee))
    after_marks = medians_ms(marked, RUNS)
    # Apart too: a salarié's file changed before each sample (its lines alone computed again).
    edited = {"baseline": (fetch("eti01", f"{s}/mesure"), None)}
    for who, name in (("cip1", "CIP alertes"), ("coordination", "Coordination alertes")):
        edited[f"{name}, après un dossier modifié"] = (
            fetch(who, f"{s}/alertes/"),
            edit_file(owner, ids["cip_employee"]),
        )
    after_edits = medians_ms(edited, RUNS)
    # And an action saved before each sample: the files move, not what the dashboard reads.
    saved = {
        "baseline": (fetch("eti01", f"{s}/mesure"), None),
        "Direction tableau de bord, après une action saisie": (
            fetch("direction", f"{s}/pilotage"),
            save_action(owner, ids["cip_employee"]),
        ),
    }
    after_actions = medians_ms(saved, RUNS)
    # Each series against its own bare page: a ratio compares samples of the same minutes.
    bare = dict.fromkeys(results, results["baseline"])
    series_bare = {}
    for series in (after_marks, after_edits, after_actions):
        series_bare[len(series_bare)] = series.pop("baseline")
        bare.update(dict.fromkeys(series, series_bare[len(series_bare) - 1]))
        results.update(series)
    sizes = {name: len(clients[who].get(path).data) / 1024 for name, (who, path) in pages.items()}
    say_database(app, RUNS)
    target = f"cible ≤ {BUDGET_RATIO:g}×, ≤ {BUDGET_KB} Ko"
    print(f"{'page':<52}{'ms':>9}{'/ page nue':>12}{'Ko HTML':>9}  {target}")
    over = []
    for name, ms in results.items():
        ratio = ms / bare[name]
        kb = sizes.get(name, sizes.get(name.split(",")[0], 0.0))
        fine = ratio <= BUDGET_RATIO and kb <= BUDGET_KB
        if name != "baseline" and not fine:
            over.append(name)
        mark = "" if name == "baseline" else ("  ok" if fine else "  AU-DESSUS")
        print(f"{name:<52}{ms:>9.1f}{ratio:>11.1f}×{kb:>9.1f}{mark}")
    print(
        "(« après un pointage », « après un dossier modifié », « après une action saisie » : "
        f"séries à part, pages nues {series_bare[0]:.1f}, {series_bare[1]:.1f} et "
        f"{series_bare[2]:.1f} ms)"
    )
    report(
        "scale_pages",
        url,
        {
            "salaries": size.employees,
            "ratio_to_bare_page": {
                k: round(v / bare[k], 1) for k, v in results.items() if k != "baseline"
            },
            "html_kb": {k: round(v, 1) for k, v in sizes.items() if k != "baseline"},
            "over_budget": over,
        },
    )


if __name__ == "__main__":
    main()
