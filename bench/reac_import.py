"""Benchmark: parse_reac_text on the reference REAC, as ratios against trivial baselines.

Usage: python bench/reac_import.py [runs] [path/to/reac.txt]

Prints the median time per run of each step and its ratio to the baseline (splitting the
text into lines). Ratios, not absolute times, are meant to be compared between machines. No
database. The last line is one JSON object (bench/common.py).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import report  # noqa: E402
from bench.common import runs as default_runs  # noqa: E402
from siae_app.services.frameworks.exchange.csv_reader import from_csv  # noqa: E402
from siae_app.services.frameworks.exchange.csv_writer import to_csv  # noqa: E402
from siae_app.services.frameworks.exchange.json_writer import to_json_dict  # noqa: E402
from siae_app.services.frameworks.limits import check_framework  # noqa: E402
from siae_app.services.frameworks.reac.reader import parse_reac_text  # noqa: E402
from siae_app.services.frameworks.reac.text import normalize_text  # noqa: E402

DEFAULT_REAC = ROOT / "siae_app" / "demo" / "data" / "reac-eti-tp-00448.txt"


def median_seconds(step: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else default_runs(50)
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_REAC
    text = path.read_text(encoding="utf-8")
    parse_reac_text(text)  # warm-up (regex compilation, lazy tables)
    framework = parse_reac_text(text)
    csv_text = to_csv(framework)

    steps: list[tuple[str, Callable[[], object]]] = [
        ("baseline: text.splitlines()", text.splitlines),
        (
            "baseline: [l.strip().lower() for l in lines]",
            lambda: [line.strip().lower() for line in text.splitlines()],
        ),
        ("normalize_text", lambda: normalize_text(text)),
        ("parse_reac_text", lambda: parse_reac_text(text)),
        ("check_framework (limits)", lambda: check_framework(framework, ValueError)),
        ("to_json_dict", lambda: to_json_dict(framework)),
        ("to_csv", lambda: to_csv(framework)),
        ("from_csv", lambda: from_csv(csv_text)),
    ]
    medians = [(label, median_seconds(step, runs)) for label, step in steps]
    baseline = medians[0][1]
    print(f"{path.name}: {len(text)} caractères, {len(text.splitlines())} lignes, {runs} runs")
    print(f"{'étape':48} {'médiane (ms)':>13} {'ratio':>9}")
    for label, seconds in medians:
        print(f"{label:48} {seconds * 1000:13.3f} {seconds / baseline:9.1f}x")
    keys = ["normalize_text", "parse_reac_text", "check_framework", "to_json", "to_csv", "from_csv"]
    ratios = {k: round(s / baseline, 1) for k, (_label, s) in zip(keys, medians[2:], strict=True)}
    report("reac_import", None, {"runs": runs, "ratio_to_splitlines": ratios})


if __name__ == "__main__":
    main()
