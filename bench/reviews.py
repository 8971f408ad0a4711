"""Benchmark: one bilan PDF (a validated demo bilan, the salarié's copy), as a ratio of the
app's trivial page (GET /healthz).

    .venv/bin/python bench/reviews.py                      # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/reviews.py                  # an existing, empty PostgreSQL base

Loads ``flask demo load``, then measures medians of the bilan page and of its PDF (both
copies). The last line is one JSON object. Machines here are noisy: only ratios mean something.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from config.settings import TestConfig  # noqa: E402
from siae_app import create_app, tenancy  # noqa: E402
from siae_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import ReviewStatus, Structure  # noqa: E402
from siae_app.models.reviews import Review  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SLUG = "jardins-du-val"
CIP = "cip.jardins@example.org"


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def prepare(app):
    with app.app_context():
        upgrade()
        tenancy.activate_system(db.session)
        load_demo(db.session)
        db.session.commit()
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        return db.session.scalar(
            select(Review.id)
            .where(Review.structure_id == structure.id, Review.status == ReviewStatus.VALIDATED)
            .order_by(Review.created_at)
        )


def main() -> None:
    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url)
    app = create_app(cfg)
    review_id = prepare(app)
    client = app.test_client()
    answer = client.post("/connexion", data={"email": CIP, "password": DEMO_PASSWORD})
    assert answer.status_code in (302, 303), "connexion en échec"
    base = f"/s/{SLUG}/bilans/{review_id}"

    def get(path: str, mimetype: str = "text/html"):
        def run():
            response = client.get(path)
            assert response.status_code == 200 and response.mimetype == mimetype, path

        return run

    results = {
        "healthz": median_ms(lambda: client.get("/healthz")),
        "review_page": median_ms(get(base)),
        "review_pdf_salarie": median_ms(get(f"{base}/pdf?exemplaire=salarie", "application/pdf")),
        "review_pdf_dossier": median_ms(get(f"{base}/pdf?exemplaire=dossier", "application/pdf")),
    }
    baseline = results["healthz"]
    print(f"Base : {url.split('@')[-1]}  ({RUNS} mesures, médianes)")
    for name, ms in results.items():
        print(f"{name:<22}{ms:>10.2f} ms{ms / baseline:>8.1f}x")
    print(json.dumps({k: round(v / baseline, 1) for k, v in results.items() if k != "healthz"}))


if __name__ == "__main__":
    main()
