"""flask credentials rotate <slug>: a structure's badge-signing key replaced by the next one.

The retired key stays published in the structure's DID document (/emetteurs/<slug>/did.json):
the badges it signed still verify; the new badges are signed by the new key.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from siae_app import tenancy
from siae_app.cli.dbrole import structures_to_run
from siae_app.extensions import db

credentials_cli = AppGroup("credentials", help="Clés de signature des badges numériques.")


@credentials_cli.command("rotate")
@click.argument("slug")
def rotate_cmd(slug: str):
    """Retire the structure's active key and create the next one."""
    from siae_app.services.attestations import credentials

    (structure,) = structures_to_run(slug)
    with tenancy.tenant_scope(db.session, structure.id):
        key = credentials.rotate(db.session, structure.id)
        number = key.number
    db.session.commit()
    retired = f"la clé n°{number - 1} est retirée (toujours publiée), " if number > 1 else ""
    click.echo(f"{structure.name} ({structure.slug}) : {retired}la clé n°{number} signe désormais.")
