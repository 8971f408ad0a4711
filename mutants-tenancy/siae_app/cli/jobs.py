"""flask jobs worker: runs the background jobs (batch exports) from Redis (REDIS_URL)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Tâches de fond (exports d'attestations en lot).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Traiter la file puis s'arrêter.")
def worker_cmd(burst):
    """Start a worker on the queue (needs REDIS_URL); Ctrl+C to stop."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL n'est pas défini : sans Redis, les exports tournent dans la requête."
        )
    from rq import SimpleWorker

    from siae_app import jobs

    # One process, no fork: jobs run in this app context with its database engine.
    worker = SimpleWorker([jobs.queue()], connection=jobs.redis_connection())
    click.echo(f"File « {jobs.queue_name()} » : en attente de tâches.")
    worker.work(burst=burst, with_scheduler=False)
