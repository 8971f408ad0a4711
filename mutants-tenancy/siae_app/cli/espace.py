"""flask espace rappels: the daily e-mail reminders of the salariés' own space (cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from siae_app import jobs, tenancy
from siae_app.cli.dbrole import structures_to_run
from siae_app.extensions import db

espace_cli = AppGroup("espace", help="L'espace personnel des salariés (« Mon espace »).")


def _reasons(appointments: int, self_assessments: int) -> str:
    return f"rendez-vous demain : {appointments}, auto-évaluation : {self_assessments}"


@espace_cli.command("rappels")
@click.option("--structure", "slug", help="Une seule structure (son identifiant court).")
@click.option("--dry-run", is_flag=True, help="Compter les rappels, sans rien envoyer.")
def rappels_cmd(slug: str | None, dry_run: bool):
    """Send today's reminders, one job per structure (to run every day, at 7:00)."""

    from siae_app.jobs.reminders import send_reminders
    from siae_app.services.personal_space import reminders

    structures = structures_to_run(slug)
    if not structures:
        click.echo("Aucune structure : aucun rappel.")
    today = date.today()
    on_queue = jobs.uses_queue() and not dry_run
    for structure in structures:
        label = f"{structure.name} ({structure.slug})"
        if dry_run:
            with tenancy.tenant_scope(db.session, structure.id):
                due = reminders.due(db.session, structure, today)
            reasons = _reasons(sum(r.appointment for r in due), sum(r.self_assessment for r in due))
            click.echo(f"{label} : {len(due)} rappel(s) à envoyer ({reasons})")
        elif on_queue:
            jobs.enqueue(send_reminders, str(structure.id), today.isoformat())
            click.echo(f"{label} : envoi confié à la file des tâches.")
        else:
            # Without Redis the job runs here. Committed structure by structure: a failure
            # further on keeps the record of what went out (no second message today).
            out = send_reminders(str(structure.id), today.isoformat(), inline=True)
            db.session.commit()
            reasons = _reasons(out.get("appointments", 0), out.get("self_assessments", 0))
            line = f"{label} : {out.get('sent', 0)} rappel(s) envoyé(s) ({reasons})"
            if out.get("failed"):
                line += f", {out['failed']} en échec (réessayés au prochain passage)"
            if out.get("no_server"):
                line += (
                    f", {out['no_server']} non envoyé(s) : aucun serveur de courriel (MAIL_SERVER)"
                )
            click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Essai à blanc : aucun courriel envoyé.")
