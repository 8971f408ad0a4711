"""Benchmark: the direction's dashboard on the reference data set, as a ratio of a bare
signed-in page, and the annual report's generation (figures, XLSX, PDF) for its 300 salariés.

    .venv/bin/python bench/pilotage.py                      # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/pilotage.py                  # an existing, empty PostgreSQL base

Budget: the dashboard at most 6 times the bare page. Its figures are kept in the figures
cache until the structure's data changes (the app's cache, here in memory): the dashboard is
measured as it is served between two changes, and « recalculé » as it is served to the first
visitor after a change (the cache emptied before each fetch). The report is a background job:
its time is printed in milliseconds (and as a ratio of the bare page). Nothing is asserted;
the last line is one JSON object (bench/common.py).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import g  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from bench.common import (  # noqa: E402
    TINY,
    apps,
    database_url,
    load_reference_set,
    median_ms,
    report,
    runs,
    say_database,
    sign_in,
)
from siae_app import tenancy  # noqa: E402
from siae_app.blueprints.home import bp as home_bp  # noqa: E402
from siae_app.demo import reference  # noqa: E402
from siae_app.demo.reference import PASSWORD, SLUG, email  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.jobs.reports import render_pdf  # noqa: E402
from siae_app.models import AnnualReport, Employee, Structure  # noqa: E402
from siae_app.permissions.policy import Perm, require  # noqa: E402
from siae_app.services.funding import figures_cache  # noqa: E402
from siae_app.services.funding import report as report_service  # noqa: E402

RUNS = runs(20)
if TINY:  # the same data set, shrunk (tests/test_bench.py only checks the script runs)
    reference.EMPLOYEES, reference.DAYS, reference.OBSERVATIONS = 40, 10, 300
BUDGET = 6


@home_bp.get("/mesure-pilotage")
@require(Perm.HOME)
def bare_page():
    """The baseline: a signed-in structure page that does nothing but ``SELECT 1``."""
    assert g.membership is not None
    db.session.execute(text("SELECT 1"))
    return "ok"


def main() -> None:
    url = database_url()
    # Loads as the owner; the dashboard, its cache and the report run as the application's role.
    app, measured = apps(url, FIGURES_CACHE="memory")
    with app.app_context():
        load_reference_set(app)
        structure_id = db.session.scalar(select(Structure.id).where(Structure.slug == SLUG))
    client = measured.test_client()
    sign_in(client, email("direction"), PASSWORD)
    base = f"/s/{SLUG}"
    year = date.today().year

    def get(path):
        def fetch():
            assert client.get(path).status_code == 200, path

        return fetch

    bare = median_ms(get(f"{base}/mesure-pilotage"), RUNS)
    board = median_ms(get(f"{base}/pilotage"), RUNS)
    fetch_board = get(f"{base}/pilotage")

    def recomputed():
        measured.extensions[figures_cache.EXTENSION].clear()
        fetch_board()

    board_cold = median_ms(recomputed, RUNS)
    followup = median_ms(get(f"{base}/pilotage/suivi-mensuel"), RUNS)

    def build_report():
        with measured.app_context(), measured.test_request_context():
            with tenancy.tenant_scope(db.session, structure_id):
                structure = db.session.get(Structure, structure_id)
                copy = AnnualReport(structure_id=structure_id, year=year)
                db.session.add(copy)
                db.session.flush()
                report_service.build(db.session, copy, structure, render_pdf)
                db.session.rollback()
            db.session.remove()

    started = time.perf_counter()
    build_report()
    report_ms = (time.perf_counter() - started) * 1000
    with app.app_context():
        tenancy.activate_system(db.session)
        salaries = db.session.query(Employee).filter(Employee.structure_id == structure_id).count()
    say_database(measured, RUNS)
    print(f"{'mesure':<52}{'médiane (ms)':>14}{'ratio':>10}")
    rows = {
        "page nue (SELECT 1), connectée": bare,
        "tableau de bord (Pilotage)": board,
        "tableau de bord recalculé (après une modification)": board_cold,
        "suivi mensuel": followup,
        f"rapport annuel {year} (chiffres, Excel, PDF)": report_ms,
    }
    for label, ms in rows.items():
        print(f"{label:<52}{ms:>14.1f}{ms / bare:>10.1f}")
    print(f"Budget du tableau de bord : {BUDGET}× la page nue ; mesuré : {board / bare:.1f}×.")
    print(f"Rapport annuel de {salaries} salariés : {report_ms / 1000:.1f} s (tâche de fond).")
    report(
        "pilotage",
        url,
        {
            "salaries": salaries,
            "dashboard_ratio": round(board / bare, 2),
            "dashboard_budget": BUDGET,
            "dashboard_recomputed_ratio": round(board_cold / bare, 2),
            "followup_ratio": round(followup / bare, 2),
            "annual_report_ms": round(report_ms),
        },
    )


if __name__ == "__main__":
    main()
