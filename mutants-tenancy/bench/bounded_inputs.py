"""Benchmark: the attack files of the bounded-input tests against a legitimate import of
2,000 salariés, as ratios of time and of peak memory.

    .venv/bin/python bench/bounded_inputs.py            # BENCH_RUNS=5, BENCH_LINES=2000

Each file goes through what the import page runs before checking the lines (reading the
table and building the records; a refusal is the French message). Times are medians
(machines here are noisy: only ratios mean something); peaks come from one more run
under tracemalloc. The last line is one JSON object. Nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import report, size  # noqa: E402
from bench.common import runs as default_runs  # noqa: E402
from siae_app.services import ServiceError  # noqa: E402
from siae_app.services.employees import imports  # noqa: E402
from tests import attack_files  # noqa: E402


def read(name: str, data: bytes) -> str:
    try:
        records, _ = imports.records_of(imports.read_table(name, data))
    except ServiceError as exc:
        return "refusé : " + exc.message[:70]
    return f"{len(records)} ligne(s)"


def measure(step: Callable[[], str], runs: int) -> tuple[float, int, str]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        outcome = step()
        samples.append(time.perf_counter() - start)
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(samples), peak, outcome


def main() -> None:
    runs = default_runs(5)
    lines = size(int(os.environ.get("BENCH_LINES", "2000")), 5)
    files = [
        ("légitime : XLSX", "liste.xlsx", attack_files.legit_xlsx(lines)),
        ("légitime : CSV", "liste.csv", attack_files.csv_lines(lines)),
        ("<dimension> A1:XFD9000", "a.xlsx", attack_files.declared_dimension_attack()),
        ("une cellule en XFD par ligne", "a.xlsx", attack_files.far_cell_rows(lines)),
        ("4 lignes de 16 384 cellules", "a.xlsx", attack_files.wide_rows(4)),
        ("bombe : 20 Mo d'espaces", "a.xlsx", attack_files.inflating_sheet(20)),
        ("bombe d'entités", "a.xlsx", attack_files.entity_bomb()),
        (f"CSV de {lines * 50} lignes", "a.csv", attack_files.csv_lines(lines * 50)),
    ]
    results = [
        (label, len(data), *measure(lambda n=n, d=data: read(n, d), runs))
        for label, n, data in files
    ]
    base_s, base_peak = results[0][2], results[0][3]
    print(f"{runs} runs ; référence : import XLSX de {lines} salariés")
    print(
        f"{'fichier':32} {'octets':>9} {'ms':>9} {'x temps':>8} {'pic Ko':>9} {'x pic':>7}  issue"
    )
    for label, length, seconds, peak, outcome in results:
        print(
            f"{label:32} {length:9} {seconds * 1000:9.1f} {seconds / base_s:8.2f} "
            f"{peak // 1024:9} {peak / base_peak:7.2f}  {outcome}"
        )
    report(
        "bounded_inputs",
        None,
        {
            "lines": lines,
            "worst_time_ratio": round(max(r[2] for r in results[2:]) / base_s, 2),
            "worst_peak_ratio": round(max(r[3] for r in results[2:]) / base_peak, 2),
        },
    )


if __name__ == "__main__":
    main()
