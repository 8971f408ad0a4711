"""Benchmark: the salariés list and file pages on 300 salariés, as ratios of GET /healthz.

    .venv/bin/python bench/employees.py                     # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/employees.py                 # an existing, empty PostgreSQL base

The demo is loaded, then the first demo structure is filled up to 300 salariés (each with a
PASS IAE and two CDDI). Prints medians and ratios; machines here are noisy, so only ratios
mean something. Nothing is asserted. The last line is one JSON object (bench/common.py).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.common import (  # noqa: E402
    apps,
    database_url,
    median_ms,
    migrate,
    report,
    runs,
    say_database,
    size,
)
from siae_app import tenancy  # noqa: E402
from siae_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Contract, Employee, PassIae, Structure, Team  # noqa: E402

RUNS = runs(30)
TARGET = size(300, 30)
SLUG = "jardins-du-val"


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
    url = database_url()
    app, measured = apps(url)  # loads as the owner, measures as the application's role
    with app.app_context():
        migrate(app)
        tenancy.activate_system(db.session)
        load_demo(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        employee_id = fill_up(structure).id
        db.session.commit()
    client = measured.test_client()
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
        label: median_ms(lambda p=path, h=headers: client.get(p, headers=h), RUNS)
        for label, (path, headers) in pages.items()
    }
    baseline = results["GET /healthz (SELECT 1)"]
    say_database(measured, RUNS)
    print(f"{'page':<48}{'médiane (ms)':>14}{'ratio':>10}")
    for label, ms in results.items():
        print(f"{label:<48}{ms:>14.2f}{ms / baseline:>9.1f}x")
    keys = ["healthz", "list", "list_all", "search", "ending_soon", "file", "history"]
    ratios = {k: round(ms / baseline, 1) for k, ms in zip(keys, results.values(), strict=True)}
    report("employees", url, {"employees": TARGET, "ratio_to_healthz": ratios})


if __name__ == "__main__":
    main()
