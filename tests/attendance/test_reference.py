"""``flask demo reference`` (shrunk here: the real set takes a minute to load)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from siae_app.demo import reference
from siae_app.models import (
    Attendance,
    Contract,
    Employee,
    Observation,
    ObservationCompetency,
    PassExtension,
    PassIae,
    PassSuspension,
    Structure,
    Team,
    User,
)


def test_reference_data_set_loads_once(app, session, monkeypatch):
    monkeypatch.setattr(reference, "EMPLOYEES", 40)
    monkeypatch.setattr(reference, "DAYS", 14)
    monkeypatch.setattr(reference, "OBSERVATIONS", 300)
    monkeypatch.setattr(reference, "BATCH", 100)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "reference"])
    assert result.exit_code == 0, result.output
    assert "40 salariés dans 20 équipes." in result.output
    assert "300 observations (100 citent une compétence)." in result.output

    def count(model):
        return session.scalar(select(func.count()).select_from(model))

    assert (count(Team), count(Employee), count(Observation)) == (20, 40, 300)
    assert count(ObservationCompetency) == 100
    weekdays = session.scalar(select(func.count(func.distinct(Attendance.day))))
    assert count(Attendance) == 40 * weekdays
    again = runner.invoke(args=["demo", "reference"])
    assert again.exit_code != 0
    assert "déjà chargé" in again.output


def test_reference_size_options_load_several_structures(app, session):
    runner = app.test_cli_runner()
    args = ["demo", "reference", "--salaries", "50", "--equipes", "4", "--jours", "7"]
    result = runner.invoke(args=[*args, "--observations", "10", "--structures", "3"])
    assert result.exit_code == 0, result.output
    assert "reference-003 : 50 salariés dans 4 équipes." in result.output
    assert "3 structures : « reference-002 »" in result.output
    slugs = session.scalars(select(Structure.slug).order_by(Structure.slug)).all()
    assert [s for s in slugs if s.startswith("reference")] == [
        "reference",
        "reference-002",
        "reference-003",
    ]
    assert session.scalar(select(func.count()).select_from(Employee)) == 150
    assert session.scalar(select(func.count()).select_from(Observation)) == 30
    # Every salarié has a PASS; some are suspended or prolonged, some contracts end soon.
    assert session.scalar(select(func.count()).select_from(PassIae)) == 150
    assert session.scalar(select(func.count()).select_from(PassSuspension)) == 6
    assert session.scalar(select(func.count()).select_from(PassExtension)) == 3
    soon = date.today() + timedelta(weeks=12)
    ending = select(func.count()).select_from(Contract).where(Contract.end_date <= soon)
    assert session.scalar(ending) == 3 * 3  # salariés 3, 19, 35 (5 weeks); 11, 27, 43 at 13
    # Each structure has its own accounts, numbered after the first.
    emails = set(session.scalars(select(User.email)))
    assert {"eti01@reference.example.org", "eti02.003@reference.example.org"} <= emails
