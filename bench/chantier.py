"""Benchmark: the ETI's chantier screens on the reference data set, as ratios of a bare page.

    .venv/bin/python bench/chantier.py                      # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/chantier.py                  # an existing, empty PostgreSQL base

Loads ``flask demo reference`` (300 salariés, 20 teams, two years of attendance, 200,000
observations), then measures medians of: the ETI home (« Aujourd'hui »), a team roster, the
observation POST, the attendance POST for a team (« Tous présents », today's marks removed
before each sample), the month attendance grid, the salarié file; and the gzip size of the HTML
of each ETI screen. The last line is one JSON object.

The baseline (the « 1× ») is the app's own bare page, ``GET /s/<slug>/mesure``, added by this
script only (never by the app): it takes the same path as every structure page — session
cookie read and refreshed, user loaded by Flask-Login, structure found by its slug, tenant
activated (``set_config`` on PostgreSQL), active membership loaded, ``@require(Perm.HOME)``,
the security headers and the commit of ``web.py`` — then runs ``SELECT 1`` and answers « ok »
without a template. A ratio is thus what a screen costs beyond being a signed-in structure
page. ``GET /healthz`` (no session, no tenant) is printed too, for information.

Machines here are noisy: only ratios mean something, and the samples are interleaved (one of
each measure in turn, ``BENCH_RUNS`` rounds) so that a busy spell weighs on every measure alike.
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import g  # noqa: E402
from sqlalchemy import delete, select, text  # noqa: E402

from bench.common import (  # noqa: E402
    TINY,
    apps,
    database_url,
    eti_first_team,
    load_reference_set,
    report,
    runs,
    say_database,
)
from siae_app import tenancy  # noqa: E402
from siae_app.blueprints.home import bp as home_bp  # noqa: E402
from siae_app.demo import reference  # noqa: E402
from siae_app.demo.reference import PASSWORD, SLUG, email  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Attendance, Employee  # noqa: E402
from siae_app.permissions.policy import Perm, require  # noqa: E402

RUNS = runs(20)
if TINY:  # the same data set, shrunk (tests/test_bench.py only checks the script runs)
    reference.EMPLOYEES, reference.DAYS, reference.OBSERVATIONS = 40, 10, 300


@home_bp.get("/mesure")
@require(Perm.HOME)
def bare_page():
    """The baseline: a signed-in structure page that does nothing but ``SELECT 1``."""
    assert g.membership is not None
    db.session.execute(text("SELECT 1"))
    return "ok"


def medians_ms(measures: dict, runs: int = RUNS) -> dict[str, float]:
    """{name: median ms} of ``measures`` ({name: (fn, setup or None)}), interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for round_ in range(runs + 1):  # round 0 warms up
        for name, (fn, setup) in measures.items():
            if setup:
                setup()
            start = time.perf_counter()
            fn()
            if round_:
                samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def prepare(app) -> dict:
    with app.app_context():
        load_reference_set(app)
        team = eti_first_team(db.session)
        employee = db.session.scalar(select(Employee).where(Employee.team_id == team.id))
        return {"team": team.id, "employee": employee.id}


def signed_in(app, who: str):
    client = app.test_client()
    answer = client.post("/connexion", data={"email": email(who), "password": PASSWORD})
    assert answer.status_code in (302, 303), "connexion en échec"
    return client


def clear_today(app, team_id) -> None:
    with app.app_context():
        tenancy.activate_system(db.session)
        db.session.execute(
            delete(Attendance).where(Attendance.team_id == team_id, Attendance.day == date.today())
        )
        db.session.commit()
        db.session.remove()


def all_present_form(client, base: str, team_id) -> dict:
    html = client.get(f"{base}/presences/equipes/{team_id}").get_data(as_text=True)
    fields = re.findall(r'name="(rec-[0-9a-f-]+)" value="([0-9a-f-]+)"', html)
    assert fields, "aucun salarié à pointer"
    return {name: str(uuid.uuid4()) for name, _ in fields}


def gzip_kb(client, path: str) -> float:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return len(gzip.compress(answer.data)) / 1024


def main() -> None:
    url = database_url()
    app, measured = apps(url)  # loads as the owner, measures as the application's role
    started = time.perf_counter()
    ids = prepare(app)
    print(f"Jeu de référence chargé en {time.perf_counter() - started:.0f} s")
    eti, coordination = signed_in(measured, "eti01"), signed_in(measured, "coordination")
    base = f"/s/{SLUG}"
    team, employee = ids["team"], ids["employee"]
    screens = {
        "eti_home": f"{base}/presences/",
        "roster": f"{base}/presences/equipes/{team}",
        "observations": f"{base}/salaries/{employee}/observations",
        "urgent_report": f"{base}/urgences/salaries/{employee}/signaler",
    }
    obs_url = f"{base}/salaries/{employee}/observations"

    def post_observation():
        form = {
            "record_id": str(uuid.uuid4()),
            "text": "Bon geste de sécurité.",
            "tone": "positive",
        }
        assert eti.post(obs_url, data=form).status_code == 303

    def post_attendance():
        answer = eti.post(f"{base}/presences/equipes/{team}/tous-presents", data=state["form"])
        assert answer.status_code == 303

    state: dict = {}

    def reset_team():
        clear_today(app, team)
        state["form"] = all_present_form(eti, base, team)

    month = f"{base}/presences/grille?equipe={team}&vue=mois"

    def get(client, path):
        def fetch():
            assert client.get(path).status_code == 200, path

        return fetch, None

    results = medians_ms(
        {
            "baseline": get(eti, f"{base}/mesure"),
            "healthz": get(eti, "/healthz"),
            "eti_home": get(eti, screens["eti_home"]),
            "roster": get(eti, screens["roster"]),
            "observation_post": (post_observation, None),
            "attendance_post": (post_attendance, reset_team),
            "attendance_month": get(coordination, month),
            "employee_file": get(eti, f"{base}/salaries/{employee}"),
        }
    )
    sizes = {name: gzip_kb(eti, path) for name, path in screens.items()}
    baseline = results["baseline"]
    say_database(measured, RUNS)
    print(f"{'':<20}{'':>13}{'/ page nue':>12}{'/ healthz':>11}")
    for name, ms in results.items():
        ratios = f"{ms / baseline:>11.1f}x{ms / results['healthz']:>10.1f}x"
        print(f"{name:<20}{ms:>10.2f} ms{ratios}")
    for name, kb in sizes.items():
        print(f"{name:<20}{kb:>10.1f} Ko gzip")
    summary = {k: round(v / baseline, 1) for k, v in results.items() if k != "baseline"}
    largest = round(max(sizes.values()), 1)
    report("chantier", url, {"ratio_to_bare_page": summary, "eti_html_gzip_kb_max": largest})


if __name__ == "__main__":
    main()
