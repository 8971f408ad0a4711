"""flask commands: structures, demo data, database role set-up."""

from __future__ import annotations

import re
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import text

from siae_app import tenancy
from siae_app.cli_frameworks import framework_cli
from siae_app.extensions import db
from siae_app.services import ServiceError

structure_cli = AppGroup("structure", help="Créer et lister les structures (opérateur).")
demo_cli = AppGroup("demo", help="Données de démonstration (synthétiques).")
dbrole_cli = AppGroup("dbrole", help="Rôle PostgreSQL de l'application (RLS).")


@structure_cli.command("create")
@click.option("--slug", required=True, help="Identifiant dans les adresses, ex. jardins-du-val")
@click.option("--name", required=True, help="Nom affiché de la structure")
@click.option("--kind", default="ACI", show_default=True, help="ACI, EI, ETTI, AI, RQ, EA, ESAT")
@click.option("--city", default=None)
@click.option("--admin-email", required=True)
@click.option("--admin-first-name", required=True)
@click.option("--admin-last-name", required=True)
def create_structure_cmd(slug, name, kind, city, admin_email, admin_first_name, admin_last_name):
    """Create a structure and invite its first administrator."""
    from siae_app.services.structures import create_structure

    tenancy.activate_system(db.session)
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
    click.echo(f"Lien d'invitation de l'administrateur (7 jours) : {link}")


@structure_cli.command("list")
def list_structures_cmd():
    """Slug and name of every structure, one a line (no personal data)."""
    from siae_app.services.structures import list_structures

    for s in list_structures(db.session):
        click.echo(f"{s.slug}\t{s.name}")


@demo_cli.command("load")
def demo_load_cmd():
    """Load the synthetic demo data (idempotent) and print the logins."""
    from siae_app.demo import DEMO_PASSWORD, load_demo

    tenancy.activate_system(db.session)
    accounts = load_demo(db.session)
    db.session.commit()
    click.echo(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    for structure, role, email in accounts:
        click.echo(f"  {structure:<34} {role:<46} {email}")


@dbrole_cli.command("setup")
@click.argument("role")
@click.option(
    "--password", default=None, help="Mot de passe du rôle (sinon authentification locale)"
)
def dbrole_setup_cmd(role, password):
    """Create ROLE (no superuser, no RLS bypass) and grant it data access, run as the owner."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("Commande réservée à PostgreSQL.")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise click.ClickException("Nom de rôle invalide.")
    with db.engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if not exists.scalar():
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        if password:
            conn.execute(text(f'ALTER ROLE "{role}" PASSWORD :p'), {"p": password})
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(
            text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        )
        conn.execute(text(f'REVOKE ALL ON TABLE alembic_version FROM "{role}"'))
    click.echo(f"Rôle {role} prêt (lecture/écriture des données, soumis à la RLS).")


def register_cli(app: Flask) -> None:
    app.cli.add_command(structure_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(dbrole_cli)
    app.cli.add_command(framework_cli)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Utilisez : flask --app wsgi <commande>")
