"""flask dbrole: the PostgreSQL role the application connects as (subject to RLS)."""

from __future__ import annotations

import re

import click
from flask.cli import AppGroup
from sqlalchemy import text

from siae_app.extensions import db

dbrole_cli = AppGroup("dbrole", help="Rôle PostgreSQL de l'application (RLS).")


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
