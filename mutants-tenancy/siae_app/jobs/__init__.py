"""Background jobs: on RQ (Redis) when REDIS_URL is set, inline otherwise.

The worker is ``flask jobs worker`` (siae_app/cli/jobs.py). A job receives plain ids and runs
inside the tenant scope of its structure (see jobs/attestations.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

DEFAULT_QUEUE = "parcours"
JOB_TIMEOUT = 30 * 60
# The session's info key of the jobs waiting for its commit (``enqueue_after_commit``).
_AFTER_COMMIT = "jobs_after_commit"


def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def queue_name() -> str:
    return current_app.config.get("JOBS_QUEUE") or DEFAULT_QUEUE


def queue():
    from rq import Queue

    return Queue(queue_name(), connection=redis_connection())


def uses_queue() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def enqueue(func: Callable, *args) -> str:
    """Run ``func(*args)`` on the queue when Redis is configured (returns "rq"), else now,
    as ``func(*args, inline=True)`` (returns "inline").

    On the queue the worker reads what the request wrote: commit it before calling this,
    or call ``enqueue_after_commit``.
    """
    if uses_queue():
        queue().enqueue(func, *args, job_timeout=JOB_TIMEOUT)
        return "rq"
    func(*args, inline=True)
    return "inline"


def enqueue_after_commit(session, func: Callable, *args) -> None:
    """``enqueue`` once ``session``'s transaction commits: a worker reads from its own
    connection what the request wrote, so a request hands it a job after the request's
    one commit (and not at all if it rolls back). Without a queue the job runs now, inside
    the request, which commits its work with the rest; outside a transaction, it is queued
    now (nothing waits for a commit)."""
    real = session() if isinstance(session, scoped_session) else session
    if not uses_queue() or not real.in_transaction():
        enqueue(func, *args)
        return
    real.info.setdefault(_AFTER_COMMIT, []).append((func, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released inside the transaction: nothing is committed yet
    for func, args in session.info.pop(_AFTER_COMMIT, ()):
        enqueue(func, *args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the transaction itself, not a SAVEPOINT
        session.info.pop(_AFTER_COMMIT, None)


@contextmanager
def flask_context() -> Iterator[None]:
    """The current application context, or a new application's (a worker started with
    ``rq worker`` rather than ``flask jobs worker``, a demo load from plain Python)."""
    if has_app_context():
        yield
        return
    from siae_app import create_app

    with create_app().app_context():
        yield
