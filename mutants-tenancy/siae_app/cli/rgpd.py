"""flask rgpd: retention of personal data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from siae_app.cli.dbrole import enter_system_scope, structures_to_run
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


@rgpd_cli.command("purge")
@click.option("--structure", "slug", help="Une seule structure (son identifiant court).")
@click.option("--dry-run", is_flag=True, help="Lister ce qui partirait, sans rien changer.")
def purge_cmd(slug: str | None, dry_run: bool):
    """Apply the register's durations: erase, anonymise, delete (siae_app/privacy)."""
    from datetime import date

    from siae_app.privacy.registry import RULES, table_label
    from siae_app.services.privacy import purge

    structures = structures_to_run(slug)
    command = "flask rgpd purge" + (f" --structure {slug}" if slug else "")
    today = date.today()
    for structure in structures:
        outcomes = purge.run(db.session, structure, today, dry_run=dry_run, command=command)
        click.echo(f"{structure.name} ({structure.slug})")
        for out in outcomes:
            retention = RULES[out.rule]
            verb = "partiraient" if dry_run else "traitées"
            people = f", {len(out.due)} salarié(s)" if out.due else ""
            click.echo(
                f"  {retention.label} ({out.months} mois, avant le {out.cutoff:%d/%m/%Y}) : "
                f"{out.total} ligne(s) {verb}{people}"
            )
            if dry_run:
                for due in out.due:
                    parts = ", ".join(
                        f"{table_label(t, out.rule)} : {n}" for t, n in sorted(due.counts.items())
                    )
                    click.echo(
                        f"    - {due.name} (depuis le {due.since:%d/%m/%Y}) : {parts or 'rien'}"
                    )
    if dry_run:
        db.session.rollback()
        click.echo("Essai à blanc : rien n'a été changé.")
    else:
        db.session.commit()
