"""flask report annual --structure SLUG --year YYYY [--json]: a year's indicators."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.services.funding import exits, indicators
from siae_app.tenancy import lookup

report_cli = AppGroup("report", help="Indicateurs et rapports de la structure.")


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


@report_cli.command("annual")
@click.option("--structure", "slug", required=True, help="Identifiant de la structure")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Année (AAAA)")
@click.option("--json", "as_json", is_flag=True, help="Les indicateurs au format JSON")
def annual_cmd(slug: str, year: int, as_json: bool):
    """The indicators of a year (aggregates only: no name is printed)."""
    structure = lookup.structure_by_slug(db.session, slug)
    if structure is None:
        raise click.ClickException(f"Structure inconnue : « {slug} » (voir flask structure list).")
    with tenancy.tenant_scope(db.session, structure.id):
        figures = indicators.annual(db.session, structure, year)
    db.session.rollback()  # read only
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"{structure.name} — année {year}")
    click.echo(f"  Personnes accompagnées : {figures['people_served']}")
    click.echo(f"  Entrées : {figures['entries']}")
    for key, label in exits.CATEGORY_LABELS.items():
        click.echo(f"  {label} : {figures['exits'][key]}")
    click.echo(f"  Taux de sorties dynamiques : {_percent(figures['dynamic_exit_rate'])}")
    click.echo(f"  Taux de sorties en emploi durable : {_percent(figures['durable_exit_rate'])}")
    click.echo(f"  Heures payées : {figures['hours_paid']:.2f}".replace(".", ","))
    click.echo(
        f"  ETP consommés / conventionnés : {figures['etp_consumed']:.2f} / "
        f"{figures['etp_conventioned']:.2f}".replace(".", ",")
    )
