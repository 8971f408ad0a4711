"""Benchmark: the ETI's chantier screens on the reference data set, as ratios of GET /healthz.

    .venv/bin/python bench/chantier.py                      # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/chantier.py                  # an existing, empty PostgreSQL base

Loads ``flask demo reference`` (300 salariés, 20 teams, two years of attendance, 200,000
observations), then measures medians of: the ETI home (« Aujourd'hui »), a team roster, the
observation POST, the attendance POST for a team (« Tous présents », today's marks removed
before each sample), the month attendance grid; and the gzip size of the HTML of each ETI
screen. The last line is one JSON object. Machines here are noisy: only ratios mean something.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402

from config.settings import TestConfig  # noqa: E402
from siae_app import create_app, tenancy  # noqa: E402
from siae_app.demo.reference import PASSWORD, SLUG, email, load_reference  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Attendance, Employee, Membership, Team, TeamSupervisor, User  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def median_ms(fn, setup=None, runs: int = RUNS) -> float:
    if setup:
        setup()
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def prepare(app) -> dict:
    with app.app_context():
        upgrade()
        tenancy.activate_system(db.session)
        load_reference(db.session, echo=lambda _m: None)
        db.session.commit()
        eti = db.session.scalar(select(Membership).join(User).where(User.email == email("eti01")))
        team = db.session.scalar(
            select(Team)
            .join(TeamSupervisor, TeamSupervisor.team_id == Team.id)
            .where(TeamSupervisor.membership_id == eti.id)
            .order_by(Team.name)
        )
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
    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
    app = create_app(cfg)
    started = time.perf_counter()
    ids = prepare(app)
    print(f"Jeu de référence chargé en {time.perf_counter() - started:.0f} s")
    eti, coordination = signed_in(app, "eti01"), signed_in(app, "coordination")
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
    results = {
        "healthz": median_ms(lambda: eti.get("/healthz")),
        "eti_home": median_ms(lambda: eti.get(screens["eti_home"])),
        "roster": median_ms(lambda: eti.get(screens["roster"])),
        "observation_post": median_ms(post_observation),
        "attendance_post": median_ms(post_attendance, setup=reset_team),
        "attendance_month": median_ms(lambda: coordination.get(month)),
    }
    sizes = {name: gzip_kb(eti, path) for name, path in screens.items()}
    baseline = results["healthz"]
    print(f"Base : {url.split('@')[-1]}  ({RUNS} mesures, médianes)")
    for name, ms in results.items():
        print(f"{name:<20}{ms:>10.2f} ms{ms / baseline:>8.1f}x")
    for name, kb in sizes.items():
        print(f"{name:<20}{kb:>10.1f} Ko gzip")
    summary = {k: round(v / baseline, 1) for k, v in results.items() if k != "healthz"}
    summary["eti_html_gzip_kb_max"] = round(max(sizes.values()), 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
