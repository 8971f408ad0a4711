"""``flask demo reference`` (shrunk here: the real set takes a minute to load)."""

from __future__ import annotations

from sqlalchemy import func, select

from siae_app.demo import reference
from siae_app.models import Attendance, Employee, Observation, ObservationCompetency, Team


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
