"""Every benchmark script runs to its end on a tiny data set and ends with its JSON line (what
it measured, on which database). Nothing is timed here: this keeps `make bench` from rotting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site import ON_POSTGRES

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if p.name != "common.py")

pytestmark = [
    pytest.mark.no_db,
    # The scripts make their own SQLite database: once is enough (the SQLite suite).
    pytest.mark.skipif(ON_POSTGRES, reason="une fois, avec la suite SQLite"),
]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_the_script_runs_to_its_end_on_tiny_data(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env["BENCH_TINY"] = "1"
    done = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = json.loads(done.stdout.splitlines()[-1])
    assert last["bench"] == script.stem
    # bench/load.py measures gunicorn on PostgreSQL and Redis, or says it skipped.
    expected = ("postgresql", None) if script.stem == "load" else ("sqlite", None)
    assert last["database"] in expected
