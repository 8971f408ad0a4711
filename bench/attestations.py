"""Benchmark: one attestation PDF as a ratio of GET /healthz, and the wall time of the batch
export job on 200 signed attestations.

    .venv/bin/python bench/attestations.py                  # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/attestations.py              # an existing, empty PostgreSQL base

Builds one structure with a framework, a validated assessment and 200 salariés who left,
each with a signed attestation (the PDF is rendered for real once and its bytes stored for
all: the export reads stored PDFs, it never renders). The job runs as the worker runs it
(siae_app.jobs.attestations.build_batch, committing its progress). The last line is one JSON
object. Machines here are noisy: only ratios mean something.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

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
from siae_app.extensions import db  # noqa: E402
from siae_app.models import (  # noqa: E402
    AttestationStatus,
    BatchStatus,
    Contract,
    Employee,
    Membership,
    Structure,
    User,
)
from siae_app.models.attestations import AttestationBatch  # noqa: E402
from siae_app.models.evaluations import Assessment, AssessmentItem  # noqa: E402
from siae_app.services.attestations import batch as batch_service  # noqa: E402
from siae_app.services.attestations import compose, signing  # noqa: E402
from siae_app.services.frameworks.storage import save_parsed  # noqa: E402
from siae_app.services.frameworks.tree import (  # noqa: E402
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)
from siae_app.services.scales import create_default_scale  # noqa: E402

RUNS = runs(10)
COUNT = size(int(os.environ.get("BENCH_ATTESTATIONS", "200")), 3)


def _framework():
    blocks = [
        ParsedBlock(
            number=b,
            title=f"Activité type {b}",
            kind="activity",
            competencies=[
                ParsedCompetency(
                    number=b * 10 + c,
                    title=f"Compétence {b}.{c} : réaliser les travaux d'entretien courant",
                    kind="professional",
                    criteria=[ParsedCriterion(text="Respecte les consignes")],
                )
                for c in range(1, 5)
            ],
        )
        for b in range(1, 4)
    ]
    return ParsedFramework(
        title="Agent d'entretien du bâtiment",
        acronym="AEB",
        code="TP-00000",
        level="3",
        version=None,
        validated_on=None,
        updated_on=None,
        blocks=blocks,
        transversal=[],
    )


def _assessment(session, employee, framework, scale, author) -> None:
    levels = {lvl.code: lvl for lvl in scale.levels}
    now = datetime.now(UTC)
    a = Assessment(
        employee_id=employee.id,
        scale_id=scale.id,
        grid_name=framework.title,
        kind="final",
        assessed_on=date.today() - timedelta(days=5),
        author_id=author.id,
        eti_validated_at=now,
        eti_validated_by_id=author.id,
        locked_at=now,
    )
    for n, comp in enumerate(framework.competencies):
        level = levels["A"] if n % 3 else levels["M"]
        a.items.append(
            AssessmentItem(
                competency_id=comp.id,
                position=n,
                label=comp.title,
                level_id=level.id,
                level_label=level.label,
                counts_as_acquired=True,
            )
        )
    session.add(a)


def prepare(app) -> dict:
    with app.app_context(), app.test_request_context():
        migrate(app)
        session = db.session
        tenancy.activate_system(session)
        structure = Structure(slug="bench", name="ACI Banc d'essai", kind="ACI", city="Tours")
        session.add(structure)
        session.flush()
        user = User(
            email="direction@bench.example.org",
            first_name="Dana",
            last_name="Direction",
            password_hash="x",
        )
        member = Membership(structure_id=structure.id, user=user, roles=["director", "eti"])
        session.add(member)
        session.flush()
        with tenancy.tenant_scope(session, structure.id):
            scale = create_default_scale(session, structure.id)
            framework = save_parsed(session, _framework(), source="structure")
            ids = []
            pdf = None
            for i in range(COUNT):
                e = Employee(
                    first_name="Alex",
                    last_name=f"Sortant{i:03d}",
                    entry_date=date(2025, 9, 1),
                    exit_date=date(2026, 2, 1),
                )
                session.add(e)
                session.flush()
                session.add(
                    Contract(
                        employee_id=e.id,
                        kind="cddi",
                        start_date=date(2025, 9, 1),
                        end_date=date(2026, 2, 1),
                        weekly_hours=26,
                    )
                )
                _assessment(session, e, framework, scale, member)
                session.flush()
                a = compose.propose(session, e, member)
                if pdf is None:
                    signing.sign(
                        session,
                        a,
                        member,
                        structure,
                        signer_name="Dana Direction",
                        signed_on=date.today(),
                        signed_place="Tours",
                    )
                    pdf = a.pdf
                    first = a
                else:
                    a.status = AttestationStatus.SIGNED
                    a.signed_at, a.signed_on = datetime.now(UTC), date.today()
                    a.verification_code = signing.new_code()
                    a.pdf, a.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
                ids.append(a.id)
            session.commit()
            batch = batch_service.create(
                session, member, exit_from=date(2026, 1, 1), exit_to=date(2026, 3, 31)
            )
            session.commit()
            return {
                "structure": structure.id,
                "attestation": first.id,
                "batch": batch.id,
                "pdf_bytes": len(pdf),
            }


def main() -> None:
    url = database_url()
    # Loads as the owner; the page, the PDF and the job (as the worker) run as the app's role.
    app, measured = apps(url, TESTING=False)
    ids = prepare(app)
    client = measured.test_client()
    healthz = median_ms(lambda: client.get("/healthz"), RUNS * 5)

    from siae_app.jobs.attestations import build_batch
    from siae_app.models.attestations import Attestation

    with measured.app_context(), measured.test_request_context():
        with tenancy.tenant_scope(db.session, ids["structure"]):
            attestation = db.session.get(Attestation, ids["attestation"])
            structure = db.session.get(Structure, ids["structure"])
            pdf_ms = median_ms(lambda: signing.render(attestation, structure), RUNS)
        db.session.remove()
    with measured.app_context():
        start = time.perf_counter()
        build_batch(str(ids["structure"]), str(ids["batch"]))
        job_s = time.perf_counter() - start
        with tenancy.tenant_scope(db.session, ids["structure"]):
            batch = db.session.scalar(
                select(AttestationBatch).where(AttestationBatch.id == ids["batch"])
            )
            assert batch.status == BatchStatus.DONE and batch.done == COUNT, batch.status
    result = {
        "healthz_ms": round(healthz, 2),
        "pdf_ms": round(pdf_ms, 1),
        "pdf_ratio": round(pdf_ms / healthz, 1),
        "pdf_bytes": ids["pdf_bytes"],
        "batch_attestations": COUNT,
        "batch_job_s": round(job_s, 2),
        "run": uuid.uuid4().hex[:8],
    }
    say_database(measured, RUNS)
    report("attestations", url, result)


if __name__ == "__main__":
    main()
