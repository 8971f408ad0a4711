"""Benchmark: the salariés list and file pages on 300 salariés, as ratios of GET /healthz.

    .venv/bin/python bench/employees.py                     # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/employees.py                 # an existing, empty PostgreSQL base

The demo is loaded, then the first demo structure is filled up to 300 salariés (each with a
PASS IAE and two CDDI). Prints medians and ratios; machines here are noisy, so only ratios
mean something. Nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from config.settings import TestConfig  # noqa: E402
from siae_app import create_app, tenancy  # noqa: E402
from siae_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Contract, Employee, PassIae, Structure, Team  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
TARGET = 300
SLUG = "jardins-du-val"


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill_up(structure: Structure) -> Employee:
    """Add synthetic salariés until the structure has TARGET; return one to open."""
    with tenancy.tenant_scope(db.session, structure.id):
        teams = db.session.scalars(select(Team)).all()
        have = db.session.scalar(select(func.count(Employee.id)))
        today = date.today()
        for i in range(have, TARGET):
            start = today - timedelta(days=(i * 7) % 500)
            e = Employee(
                last_name=f"Banc{i:03d}",
                first_name="Essai",
                birth_date=date(1980 + i % 30, 1 + i % 12, 1 + i % 28),
                entry_date=start,
                team_id=teams[i % len(teams)].id,
            )
            middle = start + timedelta(days=180)
            e.contracts = [
                Contract(start_date=start, end_date=middle, weekly_hours=Decimal(26)),
                Contract(
                    start_date=middle + timedelta(days=1),
                    end_date=middle + timedelta(days=365),
                    weekly_hours=Decimal(26),
                ),
            ]
            e.passes = [
                PassIae(
                    number=f"99999{i:07d}", start_date=start, end_date=start + timedelta(days=729)
                )
            ]
            db.session.add(e)
        db.session.flush()
        return db.session.scalars(select(Employee).order_by(Employee.last_name)).first()


def main() -> None:
    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
    app = create_app(cfg)
    with app.app_context():
        upgrade()
        tenancy.activate_system(db.session)
        load_demo(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        employee_id = fill_up(structure).id
        db.session.commit()
    client = app.test_client()
    client.post(
        "/connexion",
        data={"email": f"cip.{SLUG.split('-')[0]}@example.org", "password": DEMO_PASSWORD},
    )
    base = f"/s/{SLUG}/salaries"
    pages = {
        "GET /healthz (SELECT 1)": ("/healthz", {}),
        f"liste des salariés ({TARGET}, en parcours)": (f"{base}/", {}),
        "liste, tous statuts": (f"{base}/?statut=tous", {}),
        "recherche « banc01 » (fragment htmx)": (f"{base}/?q=banc01", {"HX-Request": "true"}),
        "fin de PASS/contrat dans 8 semaines": (f"{base}/?fin=8", {}),
        "fiche d'un salarié (+ journal des accès)": (f"{base}/{employee_id}", {}),
        "historique d'une fiche": (f"{base}/{employee_id}/historique", {}),
    }
    first = client.get(pages[f"liste des salariés ({TARGET}, en parcours)"][0])
    assert first.status_code == 200, "connexion ou page en échec"
    results = {
        label: median_ms(lambda p=path, h=headers: client.get(p, headers=h))
        for label, (path, headers) in pages.items()
    }
    baseline = results["GET /healthz (SELECT 1)"]
    print(f"Base : {url.split('@')[-1]}  ({RUNS} mesures, médianes)")
    print(f"{'page':<48}{'médiane (ms)':>14}{'ratio':>10}")
    for label, ms in results.items():
        print(f"{label:<48}{ms:>14.2f}{ms / baseline:>9.1f}x")


if __name__ == "__main__":
    main()
