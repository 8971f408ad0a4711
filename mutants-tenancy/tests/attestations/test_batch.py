"""Batch export of signed attestations of salariés who left in a period: inline without
Redis, on RQ with it (a real Redis at 127.0.0.1:6379 and an rq SimpleWorker in burst mode)."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from siae_app.models import AttestationStatus, BatchStatus
from siae_app.models.attestations import AttestationBatch
from tests import factories as f
from tests.site import text_of

REDIS_URL = "redis://127.0.0.1:6379/0"
PERIOD = {"exit_from": "2026-01-01", "exit_to": "2026-03-31"}


def _leavers(site, session, n=3):
    """``n`` salariés who left in the period, each with a signed attestation; one who left
    later (not in the export)."""
    made = []
    for i in range(n + 1):
        e = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=f"Sorti{i}")
        e.exit_date = date(2026, 2, 1 + i) if i < n else date(2026, 6, 1)
        session.commit()
        f.make_validated_assessment(e, site.member("eti"))
        made.append(f.make_attestation(e, site.member("eti"), signer=site.member("director")))
    revoked = made[0]
    revoked.status = AttestationStatus.REVOKED  # a revoked attestation is not exported
    session.commit()
    return made[1:n]


def _batch(session, site):
    return session.scalar(
        select(AttestationBatch)
        .where(AttestationBatch.structure_id == site.structure.id)
        .order_by(AttestationBatch.created_at.desc())
        .limit(1)
    )


def _zip_names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_inline_export_builds_the_zip(world, client_for, session):
    site = world.a
    expected = _leavers(site, session)
    director = client_for(site.member("director"))
    base = f"/s/{site.slug}/attestations/lots"
    r = director.post(base, data=PERIOD)
    assert r.status_code == 303
    batch = _batch(session, site)
    assert batch.status == BatchStatus.DONE and batch.total == batch.done == len(expected)
    page = text_of(director.get(r.location))
    assert "Terminé" in page and "<progress" in page and "Télécharger l'archive ZIP" in page
    archive = director.get(f"{base}/{batch.id}/archive.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    names = _zip_names(archive.data)
    assert len(names) == len(expected)
    assert all(n.startswith("attestation-sorti") and n.endswith(".pdf") for n in names)


def test_progress_fragment_for_htmx(world, client_for):
    site = world.a
    batch = site.attestation_batch
    batch.status, batch.done = BatchStatus.RUNNING, 0
    r = client_for(site.member("director")).get(
        f"/s/{site.slug}/attestations/lots/{batch.id}", headers={"HX-Request": "true"}
    )
    html = text_of(r)
    assert r.status_code == 200 and "<html" not in html
    assert 'id="batch-progress"' in html and 'hx-trigger="every 1s"' in html
    assert "<progress" in html


def test_empty_period_is_refused_in_french(world, client_for):
    site = world.a
    r = client_for(site.member("director")).post(
        f"/s/{site.slug}/attestations/lots",
        data={"exit_from": "2020-01-01", "exit_to": "2020-02-01"},
    )
    assert r.status_code == 422
    assert "Aucune attestation signée" in text_of(r) and 'value="2020-01-01"' in text_of(r)


def test_rq_export_runs_in_a_worker(app, world, client_for, session):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from rq import Queue, SimpleWorker

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    site = world.a
    expected = _leavers(site, session)
    queue_name = f"test-attestations-{uuid.uuid4().hex}"
    saved = app.config.get("REDIS_URL"), app.config.get("JOBS_QUEUE")
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=queue_name)
    queue = Queue(queue_name, connection=redis)
    try:
        r = client_for(site.member("director")).post(
            f"/s/{site.slug}/attestations/lots", data=PERIOD
        )
        assert r.status_code == 303
        batch = _batch(session, site)
        # The request did not build it.
        assert batch.status == BatchStatus.QUEUED and batch.done == 0
        assert queue.count == 1
        with app.app_context():
            SimpleWorker([queue], connection=redis).work(burst=True)
        session.refresh(batch)
        assert batch.status == BatchStatus.DONE and batch.done == len(expected)
        archive = session.scalar(
            select(AttestationBatch.archive).where(AttestationBatch.id == batch.id)
        )
        assert len(_zip_names(archive)) == len(expected)
    finally:
        app.config["REDIS_URL"], app.config["JOBS_QUEUE"] = saved
        queue.delete(delete_jobs=True)


def test_a_queued_job_waits_for_the_commit_and_is_dropped_on_rollback(app, session):
    """The worker reads from its own connection what the request wrote: the request hands
    it the job at its commit (not at a SAVEPOINT's), and never if it rolls back."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from rq import Queue

    from siae_app import jobs
    from siae_app.jobs.attestations import build_batch

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    queue_name = f"test-after-commit-{uuid.uuid4().hex}"
    queue = Queue(queue_name, connection=redis)
    saved = app.config.get("REDIS_URL"), app.config.get("JOBS_QUEUE")
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=queue_name)
    try:
        with app.app_context():
            session.execute(select(AttestationBatch.id))  # a transaction, as in a request
            jobs.enqueue_after_commit(session, build_batch, "structure", "rolled-back")
            session.rollback()
            session.execute(select(AttestationBatch.id))
            jobs.enqueue_after_commit(session, build_batch, "structure", "committed")
            session.begin_nested().commit()
            assert queue.count == 0
            session.commit()
            assert [job.args for job in queue.get_jobs()] == [("structure", "committed")]
    finally:
        app.config["REDIS_URL"], app.config["JOBS_QUEUE"] = saved
        queue.delete(delete_jobs=True)
