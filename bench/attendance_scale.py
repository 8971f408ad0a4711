"""Benchmark: the structure's month attendance grid and the monthly hours export at the
reference size, as ratios of a bare signed-in page.

    .venv/bin/python bench/attendance_scale.py              # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/attendance_scale.py          # an existing, empty PostgreSQL base

Loads ``flask demo reference`` (300 salariés, two years of attendance), then measures, as the
coordination, interleaved medians of: the bare page ``/s/<slug>/mesure`` (bench/chantier.py's
baseline), last month's grid without a team filter (its first page when it is paged), last
month's export in CSV and in XLSX. Prints each one's ratio to the bare page, the raw HTML size
of the grid, and the peak Python memory of each export (tracemalloc, one separate run). The
last line is one JSON object.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.chantier import medians_ms, prepare, signed_in  # noqa: E402  (adds /mesure)
from bench.common import apps, database_url, report, runs, say_database  # noqa: E402
from siae_app.demo.reference import SLUG  # noqa: E402

RUNS = runs(10)


def peak_mb(client, path: str) -> float:
    """Peak memory (MB, tracemalloc) of one download, read to its last byte."""
    tracemalloc.start()
    try:
        answer = client.get(path)
        assert answer.status_code == 200, path
        answer.get_data()
        return tracemalloc.get_traced_memory()[1] / 1_000_000
    finally:
        tracemalloc.stop()


def main() -> None:
    url = database_url()
    app, measured = apps(url)  # loads as the owner, measures as the application's role
    started = time.perf_counter()
    prepare(app)
    print(f"Jeu de référence chargé en {time.perf_counter() - started:.0f} s")
    coordination = signed_in(measured, "coordination")
    base = f"/s/{SLUG}"
    # Last month: a whole month of marks (this one may have begun today).
    last_month = date.today().replace(day=1) - timedelta(days=1)
    month = last_month.strftime("%Y-%m")
    paths = {
        "baseline": f"{base}/mesure",
        "month_grid": f"{base}/presences/grille?vue=mois&date={last_month.isoformat()}",
        "export_csv": f"{base}/presences/export.csv?mois={month}",
        "export_xlsx": f"{base}/presences/export.xlsx?mois={month}",
    }

    def get(path):
        def fetch():
            answer = coordination.get(path)
            assert answer.status_code == 200, path
            answer.get_data()

        return fetch, None

    results = medians_ms({name: get(path) for name, path in paths.items()}, RUNS)
    grid_kb = len(coordination.get(paths["month_grid"]).data) / 1024
    memory = {name: peak_mb(coordination, paths[name]) for name in ("export_csv", "export_xlsx")}
    baseline = results["baseline"]
    say_database(measured, RUNS)
    for name, ms in results.items():
        print(f"{name:<14}{ms:>10.2f} ms{ms / baseline:>8.1f}x")
    print(f"{'month_grid':<14}{grid_kb:>10.1f} Ko HTML")
    for name, mb in memory.items():
        print(f"{name:<14}{mb:>10.1f} Mo (pic tracemalloc)")
    ratios = {k: round(v / baseline, 1) for k, v in results.items() if k != "baseline"}
    report(
        "attendance_scale",
        url,
        {
            "ratio_to_bare_page": ratios,
            "month_grid_html_kb": round(grid_kb, 1),
            "export_peak_mb": {k: round(v, 1) for k, v in memory.items()},
        },
    )


if __name__ == "__main__":
    main()
