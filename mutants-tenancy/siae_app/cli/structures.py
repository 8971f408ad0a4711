"""flask structure: create and list structures (the platform operator)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from siae_app.cli.dbrole import enter_system_scope
from siae_app.extensions import db
from siae_app.models import Role
from siae_app.services import ServiceError

structure_cli = AppGroup(
    "structure", help="Créer et lister les structures, y inviter une personne (opérateur)."
)


@structure_cli.command("create")
@click.option("--slug", required=True, help="Identifiant dans les adresses, ex. jardins-du-val")
@click.option("--name", required=True, help="Nom affiché de la structure")
@click.option("--kind", default="ACI", show_default=True, help="ACI, EI, ETTI, AI, RQ, EA, ESAT")
@click.option("--city", default=None)
@click.option("--admin-email", required=True)
@click.option("--admin-first-name", required=True)
@click.option("--admin-last-name", required=True)
def create_structure_cmd(slug, name, kind, city, admin_email, admin_first_name, admin_last_name):
    """Create a structure and invite its first administrator (owner's DATABASE_URL)."""
    from siae_app.services.structures import create_structure

    enter_system_scope()
    try:
        structure, _, link = create_structure(
            db.session,
            slug=slug,
            name=name,
            kind=kind,
            city=city,
            admin_email=admin_email,
            admin_first_name=admin_first_name,
            admin_last_name=admin_last_name,
        )
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Structure créée : {structure.slug} ({structure.name})")
    if link:
        click.echo(f"Lien d'invitation de l'administrateur (7 jours) : {link}")
    else:
        click.echo("Invitation envoyée par courriel à l'administrateur (lien valable 7 jours).")


@structure_cli.command("invite")
@click.option("--slug", required=True, help="Identifiant de la structure")
@click.option("--email", required=True)
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="À répéter pour plusieurs rôles, ex. --role director --role admin",
)
def invite_cmd(slug, email, first_name, last_name, roles):
    """Invite a person into an existing structure, typically its direction or an independent
    second administrator: the operator answers for it, so no approval is asked."""
    from siae_app.services.accounts import invite_member
    from siae_app.tenancy.lookup import structure_by_slug

    enter_system_scope()
    structure = structure_by_slug(db.session, slug)
    if structure is None:
        raise click.ClickException(f"Aucune structure n'a l'identifiant « {slug} ».")
    try:
        _, link, mailed = invite_member(
            db.session,
            structure,
            email=email,
            first_name=first_name,
            last_name=last_name,
            roles=roles,
        )
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"{first_name} {last_name} est invité·e à rejoindre {structure.name}.")
    if mailed:
        click.echo("Invitation envoyée par courriel (lien valable 7 jours).")
    elif link:
        click.echo(f"Lien d'invitation à transmettre à la personne (7 jours) : {link}")
    else:
        click.echo(
            "Cette adresse a déjà un compte : le lien doit partir par courriel. Configurez "
            "l'envoi (MAIL_SERVER…) puis relancez la commande."
        )


@structure_cli.command("list")
def list_structures_cmd():
    """Slug and name of every structure, one a line (no personal data)."""
    from siae_app.services.structures import list_structures

    for s in list_structures(db.session):
        click.echo(f"{s.slug}\t{s.name}")
