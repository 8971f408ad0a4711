"""Benchmark: one bilan PDF (a validated demo bilan, the salarié's copy), as a ratio of the
app's trivial page (GET /healthz).

    .venv/bin/python bench/reviews.py                      # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/reviews.py                  # an existing, empty PostgreSQL base

Loads ``flask demo load``, then measures medians of the bilan page and of its PDF (both
copies). The last line is one JSON object. Machines here are noisy: only ratios mean something.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.common import apps, database_url, median_ms, migrate, report, runs, say_database  # noqa: E402
from siae_app import tenancy  # noqa: E402
from siae_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import ReviewStatus, Structure  # noqa: E402
from siae_app.models.reviews import Review  # noqa: E402

RUNS = runs(10)
SLUG = "jardins-du-val"
CIP = "cip.jardins@example.org"


def prepare(app):
    with app.app_context():
        migrate(app)
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
    url = database_url()
    app, measured = apps(url)  # loads as the owner, measures as the application's role
    review_id = prepare(app)
    client = measured.test_client()
    answer = client.post("/connexion", data={"email": CIP, "password": DEMO_PASSWORD})
    assert answer.status_code in (302, 303), "connexion en échec"
    base = f"/s/{SLUG}/bilans/{review_id}"

    def get(path: str, mimetype: str = "text/html"):
        def run():
            response = client.get(path)
            assert response.status_code == 200 and response.mimetype == mimetype, path

        return run

    results = {
        "healthz": median_ms(lambda: client.get("/healthz"), RUNS),
        "review_page": median_ms(get(base), RUNS),
        "review_pdf_salarie": median_ms(
            get(f"{base}/pdf?exemplaire=salarie", "application/pdf"), RUNS
        ),
        "review_pdf_dossier": median_ms(
            get(f"{base}/pdf?exemplaire=dossier", "application/pdf"), RUNS
        ),
    }
    baseline = results["healthz"]
    say_database(measured, RUNS)
    for name, ms in results.items():
        print(f"{name:<22}{ms:>10.2f} ms{ms / baseline:>8.1f}x")
    ratios = {k: round(v / baseline, 1) for k, v in results.items() if k != "healthz"}
    report("reviews", url, {"ratio_to_healthz": ratios})


if __name__ == "__main__":
    main()
