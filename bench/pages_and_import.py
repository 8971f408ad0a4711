"""Benchmark: REAC import end to end, and the main pages, as ratios of a bare SELECT 1 page.

    .venv/bin/python bench/pages_and_import.py              # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/pages_and_import.py          # an existing, empty PostgreSQL base

Prints medians and the ratio against GET /healthz (one "SELECT 1"); machines here are noisy,
so only ratios are meaningful. Nothing is asserted. The last line is one JSON object
(bench/common.py).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.common import apps, database_url, median_ms, migrate, report, runs, say_database  # noqa: E402
from siae_app import tenancy  # noqa: E402
from siae_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Framework  # noqa: E402

REAC = ROOT / "siae_app" / "demo" / "data" / "reac-eti-tp-00448.txt"
RUNS = runs(30)


def main() -> None:
    url = database_url()
    app, measured = apps(url)  # loads as the owner, measures as the application's role
    with app.app_context():
        migrate(app)
        tenancy.activate_system(db.session)
        load_demo(db.session)
        db.session.commit()
    client = measured.test_client()
    client.post(
        "/connexion",
        data={"email": "coordination.jardins@example.org", "password": DEMO_PASSWORD},
    )
    base = "/s/jardins-du-val"
    data = REAC.read_bytes()

    def import_reac():
        r = client.post(
            f"{base}/referentiels/importer",
            data={"file": (io.BytesIO(data), "reac.txt")},
            content_type="multipart/form-data",
        )
        client.get(r.location)  # the preview
        client.post(r.location + "/confirmer")

    import_ms = median_ms(import_reac, max(1 if RUNS == 1 else 5, RUNS // 6))
    with app.app_context():
        tenancy.activate_system(db.session)
        fw = db.session.scalar(select(Framework).where(Framework.code == "TP-00448").limit(1))
        comp_id = fw.competencies[0].id
        fw_id = fw.id
    pages = {
        "GET /healthz (SELECT 1)": "/healthz",
        "accueil de la structure": f"{base}/",
        "arborescence du REAC (87 critères)": f"{base}/referentiels/{fw_id}",
        "fiche compétence": f"{base}/referentiels/{fw_id}/competences/{comp_id}",
        "recherche « securite » (fragment)": f"{base}/referentiels/recherche?q=securite",
        "liste des équipes": f"{base}/equipes/",
        "liste des membres": f"{base}/administration/membres",
    }
    results = {}
    for label, path in pages.items():
        headers = {"HX-Request": "true"} if "recherche" in path else {}
        results[label] = median_ms(lambda p=path, h=headers: client.get(p, headers=h), RUNS)
    baseline = results["GET /healthz (SELECT 1)"]
    say_database(measured, RUNS)
    print(f"{'étape':<48}{'médiane (ms)':>14}{'ratio':>10}")
    for label, ms in results.items():
        print(f"{label:<48}{ms:>14.2f}{ms / baseline:>9.1f}x")
    print(
        f"{'import REAC : envoi + aperçu + confirmation':<48}{import_ms:>14.2f}"
        f"{import_ms / baseline:>9.1f}x"
    )
    keys = ["healthz", "structure_home", "reac_tree", "competency", "search", "teams", "members"]
    ratios = {k: round(ms / baseline, 1) for k, ms in zip(keys, results.values(), strict=True)}
    ratios["reac_import"] = round(import_ms / baseline, 1)
    report("pages_and_import", url, {"ratio_to_healthz": ratios})


if __name__ == "__main__":
    main()
