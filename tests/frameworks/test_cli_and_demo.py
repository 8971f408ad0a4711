"""flask framework import, and the demo frameworks."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from siae_app.models import ActivityFramework, Framework
from tests.frameworks.helpers import REAC_ETI


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_cli_dry_run_saves_nothing(app, world, session):
    before = session.scalar(select(func.count(Framework.id)))
    r = _invoke(app, "framework", "import", str(REAC_ETI), "--structure", "alpha", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "3 activité(s) type, 10 compétence(s) professionnelle(s), 4 transversale(s)" in r.output
    assert "87 critère(s)" in r.output
    assert "Essai à blanc : rien n'a été enregistré." in r.output
    assert session.scalar(select(func.count(Framework.id))) == before


def test_cli_json_prints_the_exchange_format(app, world, session):
    r = _invoke(
        app, "framework", "import", str(REAC_ETI), "--structure", "alpha", "--dry-run", "--json"
    )
    assert r.exit_code == 0
    document = json.loads(r.stdout)
    assert document["code"] == "TP-00448"
    assert len(document["activites"]) == 3
    assert len(document["competences_transversales"]) == 4


def test_cli_import_saves_in_the_named_structure(app, world, session):
    r = _invoke(app, "framework", "import", str(REAC_ETI), "--structure", "beta")
    assert r.exit_code == 0, r.output
    assert "Enregistré dans beta : version 1." in r.output
    fw = session.scalar(select(Framework).where(Framework.code == "TP-00448"))
    assert fw.structure_id == world.b.structure.id and fw.is_read_only


def test_cli_errors(app, world, tmp_path):
    r = _invoke(app, "framework", "import", str(REAC_ETI), "--structure", "inconnue")
    assert r.exit_code != 0 and "Structure inconnue : « inconnue »" in r.output
    letter = tmp_path / "lettre.txt"
    letter.write_text("Bonjour,\nvoici le planning de la semaine.\n", encoding="utf-8")
    r = _invoke(app, "framework", "import", str(letter), "--structure", "alpha")
    assert r.exit_code != 0 and "REAC" in r.output


@pytest.mark.demo
def test_demo_has_behavioural_and_technical_frameworks(session, demo_db):
    """On the demo database (tests/demo_db.py), where `flask demo load` ran twice."""
    first, second = demo_db.loads
    assert first.exit_code == 0, first.output
    links = ActivityFramework.__tablename__
    titles = set(session.scalars(select(Framework.title)))
    assert "Savoir-être professionnels" in titles
    for name in (
        "Espaces verts",
        "Maraîchage biologique",
        "Collecte et tri",
        "Valorisation et vente",
    ):
        assert f"{name} : gestes professionnels" in titles
    # One behavioural framework per structure, linked to every activity with its technical one.
    assert (
        session.scalar(
            select(func.count(Framework.id)).where(Framework.title == "Savoir-être professionnels")
        )
        == 2
    )
    assert first.counts[links] == 8
    assert second.exit_code == 0, second.output  # idempotent
    assert second.counts[links] == 8
    assert session.scalar(select(func.count(ActivityFramework.id))) == 8
    # and the REAC of the titre ETI in each structure, imported once.
    assert session.scalar(select(func.count(Framework.id))) == 8
    assert session.scalar(select(func.count(Framework.id)).where(Framework.source == "reac")) == 2
