"""The time an attestation states is true: the contract stretches and their weekly hours, and a
total of hours worked only when the attendance recorded covers the whole period."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tests import factories as f
from tests.attestations.conftest import pdf_text
from tests.factories.attendance import AttendanceFactory
from tests.site import text_of


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _salarie(site, session, start: date, end: date, hours: str = "30"):
    employee = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name="Duree")
    [contract] = employee.contracts
    contract.start_date, contract.end_date = start, end
    contract.weekly_hours = Decimal(hours)
    session.commit()
    f.make_validated_assessment(employee, site.member("eti"), site.member("cip"))
    return employee


def _mark_weekdays(employee, first, last, hours="6.00", skip=frozenset()) -> Decimal:
    total = Decimal("0")
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            AttendanceFactory(
                structure_id=employee.structure_id,
                employee_id=employee.id,
                day=day,
                hours_worked=Decimal(hours),
            )
            total += Decimal(hours)
        day += timedelta(days=1)
    return total


def _draft_pdf(client, base, attestation) -> str:
    r = client.get(f"{base}/{attestation.id}/pdf")
    assert r.status_code == 200
    return _flat(r.data)


def test_six_weeks_marked_in_seventeen_months_is_no_total(world, client_for, base, session):
    site = world.a
    today = date.today()
    start = today - timedelta(days=517)  # about 17 months
    employee = _salarie(site, session, start, today + timedelta(days=60))
    first_mark = today - timedelta(days=42)
    while first_mark.weekday() >= 5:
        first_mark += timedelta(days=1)
    recorded = _mark_weekdays(employee, first_mark, today - timedelta(days=1))
    session.commit()
    attestation = f.make_attestation(employee, site.member("eti"))

    period = attestation.content["period"]
    assert period["hours_worked"] is None
    assert period["contracts"] == [{"start": start.isoformat(), "end": None, "weekly_hours": 30.0}]
    text = _draft_pdf(client_for(site.member("director")), base, attestation)
    day = f"{first_mark.day}{'er' if first_mark.day == 1 else ''}"
    assert f"depuis le {day}" in text
    assert "à raison de 30 heures par semaine" in text
    hours = f"{recorded:f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"Heures de présence relevées depuis le {day}" in text and f": {hours} h" in text
    assert "heures de travail effectuées" not in text.lower()
    # The page the direction reads before signing says the same.
    page = text_of(client_for(site.member("director")).get(f"{base}/{attestation.id}"))
    assert f"Heures de présence relevées depuis le {day}" in page
    assert "à raison de 30 heures par semaine" in page


def test_attendance_covering_the_period_states_the_hours_worked(world, client_for, base, session):
    site = world.a
    today = date.today()
    start, end = today - timedelta(days=70), today - timedelta(days=7)
    employee = _salarie(site, session, start, end, hours="26")
    employee.exit_date = end
    # A public holiday left unmarked in one week does not break the coverage.
    holiday = next(d for d in (start + timedelta(days=n) for n in range(14, 21)) if d.weekday() < 5)
    worked = _mark_weekdays(employee, start, end, skip={holiday})
    session.commit()
    attestation = f.make_attestation(employee, site.member("eti"))

    assert attestation.content["period"]["hours_worked"] == float(worked)
    text = _draft_pdf(client_for(site.member("director")), base, attestation)
    hours = f"{worked:f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"Heures de travail effectuées sur cette période : {hours} h" in text
    assert "à raison de 26 heures par semaine" in text


def test_an_avenant_changing_the_hours_is_its_own_stretch(world, session):
    site = world.a
    today = date.today()
    start = today - timedelta(days=300)
    employee = _salarie(site, session, start, today - timedelta(days=151), hours="24")
    f.ContractFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        start_date=today - timedelta(days=150),
        end_date=today + timedelta(days=30),
        weekly_hours=Decimal("30"),
    )
    session.commit()
    session.refresh(employee)
    attestation = f.make_attestation(employee, site.member("eti"))
    stretches = attestation.content["period"]["contracts"]
    assert [(s["start"], s["end"], s["weekly_hours"]) for s in stretches] == [
        (start.isoformat(), (today - timedelta(days=151)).isoformat(), 24.0),
        ((today - timedelta(days=150)).isoformat(), None, 30.0),
    ]
    # No mark at all: nothing is said of hours worked.
    assert attestation.content["period"]["hours_worked"] is None
    assert attestation.content["period"]["attendance"]["first"] is None


def test_working_weeks_count_weeks_with_a_weekday():
    from siae_app.services.attendance_coverage import working_weeks

    monday = date(2026, 3, 2)
    # Saturday to the next Monday: only the second week has a weekday.
    assert working_weeks([(monday + timedelta(days=5), monday + timedelta(days=7))]) == {
        monday + timedelta(days=7)
    }
    assert len(working_weeks([(monday, monday + timedelta(days=27))])) == 4
