"""flask rgpd: retention of personal data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from siae_app.cli.dbrole import enter_system_scope
from siae_app.extensions import db

rgpd_cli = AppGroup("rgpd", help="Durées de conservation des données personnelles.")


@rgpd_cli.command("purge-access-log")
@click.option(
    "--older-than-days",
    type=click.IntRange(min=1),
    default=365,
    show_default=True,
    help="Supprimer les consultations plus anciennes que ce nombre de jours.",
)
@click.option("--dry-run", is_flag=True, help="Dire ce qui serait supprimé, sans supprimer.")
def purge_access_log_cmd(older_than_days: int, dry_run: bool):
    """Purge the access log (kept one year by default), in every structure."""
    from siae_app.services.employees import access_log

    # The owner's connection: the application's role may not delete from the access log (and
    # sees one structure at most), so with it this refuses instead of purging nothing.
    enter_system_scope()
    counts = access_log.purge(db.session, older_than_days, dry_run=dry_run)
    total = sum(counts.values())
    verb = "seraient supprimées" if dry_run else "supprimées"
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(
        f"Journal des accès : {total} consultation(s) de plus de {older_than_days} jours {verb}."
    )
    for slug, n in sorted(counts.items()):
        click.echo(f"  {slug} : {n}")
