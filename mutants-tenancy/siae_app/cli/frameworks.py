"""flask framework import FILE --structure SLUG [--dry-run] [--json]."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.services import ServiceError
from siae_app.services.frameworks.exchange.json_writer import to_json_text
from siae_app.services.frameworks.storage import identical_version, save_parsed
from siae_app.services.frameworks.upload import MAX_BYTES, read_upload
from siae_app.tenancy import lookup

framework_cli = AppGroup("framework", help="Référentiels de compétences.")


@framework_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--structure", "slug", required=True, help="Identifiant de la structure")
@click.option("--dry-run", is_flag=True, help="Analyser sans rien enregistrer")
@click.option("--json", "as_json", is_flag=True, help="Afficher l'arborescence au format JSON")
def import_cmd(path: Path, slug: str, dry_run: bool, as_json: bool):
    """Import a REAC (PDF or text) or a JSON / CSV export into a structure."""
    # One structure only (tenant scope): works with the owner's URL or the app's role.
    structure = lookup.structure_by_slug(db.session, slug)
    if structure is None:
        raise click.ClickException(f"Structure inconnue : « {slug} » (voir flask structure list).")
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # one byte past the limit is enough to refuse
    if len(data) > MAX_BYTES:
        raise click.ClickException("Le fichier dépasse 10 Mo.")
    try:
        source, parsed = read_upload(path.name, data)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    if as_json:
        click.echo(to_json_text(parsed))
    else:
        counts = parsed.counts()
        click.echo(f"{parsed.title} ({parsed.code or 'sans code'})")
        click.echo(
            f"  {counts['activites']} activité(s) type, {counts['competences']} compétence(s) "
            f"professionnelle(s), {counts['competences_transversales']} transversale(s), "
            f"{counts['criteres']} critère(s)"
        )
        for warning in parsed.warnings:
            click.echo(f"  Avertissement : {warning}", err=True)
    if dry_run:
        click.echo("Essai à blanc : rien n'a été enregistré.", err=as_json)
        return
    with tenancy.tenant_scope(db.session, structure.id):
        same = identical_version(db.session, parsed) if source == "reac" else None
        if same is not None:
            raise click.ClickException(
                f"Ce document est déjà importé : « {same.title} », version {same.version_number}."
                " Rien n'a été enregistré."
            )
        fw = save_parsed(db.session, parsed, source=source, filename=path.name)
        version = fw.version_number
    db.session.commit()
    click.echo(f"Enregistré dans {structure.slug} : version {version}.", err=as_json)
