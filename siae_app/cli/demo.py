"""flask demo: synthetic demo data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from siae_app.cli.dbrole import enter_system_scope
from siae_app.extensions import db

demo_cli = AppGroup("demo", help="Données de démonstration (synthétiques).")


@demo_cli.command("load")
def demo_load_cmd():
    """Load the synthetic demo data (idempotent) and print the logins.

    Spans structures: run it with the owner's DATABASE_URL on PostgreSQL.
    """
    from siae_app.demo import DEMO_PASSWORD, load_demo

    enter_system_scope()
    accounts = load_demo(db.session)
    db.session.commit()
    click.echo(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    for structure, role, email in accounts:
        click.echo(f"  {structure:<34} {role:<46} {email}")
    click.echo(
        "Les comptes de la direction et de l'administration activent la double "
        "authentification à leur première connexion (une application d'authentification "
        "sur le téléphone)."
    )
    _echo_spaces()


def _echo_spaces() -> None:
    """The demo salariés' own spaces: the link (host of ``flask run``) and the code."""
    import os

    from sqlalchemy import select

    from siae_app.demo.personal_space import DEMO_CODE, KINDS, demo_space
    from siae_app.models import Structure

    base = f"http://127.0.0.1:{os.environ.get('PORT') or 5000}/mon-espace/#"
    lines = []
    for structure in db.session.scalars(select(Structure).order_by(Structure.name)):
        for kind in KINDS:
            found = demo_space(db.session, structure, kind)
            if found:
                lines.append(f"  {structure.name:<34} {found[0]:<24} {base}{found[1]}")
    if lines:
        click.echo(f"Espaces personnels de salariés (sans compte ; code : {DEMO_CODE})")
        for line in lines:
            click.echo(line)


@demo_cli.command("reference")
@click.option("--salaries", type=click.IntRange(1, 20_000), help="Salariés par structure (300).")
@click.option("--equipes", type=click.IntRange(1, 500), help="Équipes par structure (20).")
@click.option("--jours", type=click.IntRange(1, 3_650), help="Jours de présences (730).")
@click.option("--observations", type=click.IntRange(0, 5_000_000), help="Observations (200 000).")
@click.option("--structures", type=click.IntRange(1, 500), default=1, help="Structures (1).")
def demo_reference_cmd(salaries, equipes, jours, observations, structures):
    """Load the reference data set (by default one structure: 300 salariés, 2 years of
    attendance, 200,000 observations); the options change its size."""
    from siae_app.demo.reference import PASSWORD, SLUG, Size, default_size, email, load_reference

    base = default_size()
    size = Size(
        employees=salaries or base.employees,
        teams=equipes or base.teams,
        days=jours or base.days,
        observations=base.observations if observations is None else observations,
        structures=structures,
    )
    enter_system_scope()
    try:
        load_reference(db.session, echo=click.echo, size=size)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Structure « {SLUG} » ; comptes {email('eti01')}, {email('cip1')}, "
        f"{email('coordination')}, {email('direction')} (mot de passe : {PASSWORD})"
    )
    if structures > 1:
        click.echo(f"{structures} structures : « {SLUG}-002 »... ; comptes {email('eti01', 2)}...")
