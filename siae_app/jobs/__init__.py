"""Background jobs: on RQ (Redis) when REDIS_URL is set, inline otherwise.

The worker is ``flask jobs worker`` (siae_app/cli/jobs.py). A job receives plain ids and runs
inside the tenant scope of its structure (see jobs/attestations.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context

DEFAULT_QUEUE = "parcours"
JOB_TIMEOUT = 30 * 60


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

    On the queue the worker reads what the request wrote: commit it before calling this.
    """
    if uses_queue():
        queue().enqueue(func, *args, job_timeout=JOB_TIMEOUT)
        return "rq"
    func(*args, inline=True)
    return "inline"


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
