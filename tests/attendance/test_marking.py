"""The ETI's « Aujourd'hui »: rosters, « Tous présents », exceptions, replays, one per day."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from siae_app.models import Attendance, ChangeRecord
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import make_employee
from tests.querycount import count_queries
from tests.site import text_of


def _records(session, employee):
    return session.scalars(select(Attendance).where(Attendance.employee_id == employee.id)).all()


def _changes(session, employee):
    stmt = select(ChangeRecord).where(
        ChangeRecord.entity == "attendance", ChangeRecord.employee_id == employee.id
    )
    return session.scalars(stmt).all()


def _mark(client, site, employee, record_id=None, htmx=False, **data):
    url = f"/s/{site.slug}/presences/equipes/{site.team.id}/marquer"
    form = {"record_id": str(record_id or uuid.uuid4()), "employee_id": str(employee.id)}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data=form | data, headers=headers)


def test_today_shows_the_etis_team_with_the_expected_salaries(world, client_for):
    page = text_of(client_for(world.a.member("eti")).get("/s/alpha/presences/"))
    assert "Équipe Nord alpha" in page
    assert world.a.employee.display_name in page
    assert "Tous présents (1)" in page
    assert "Équipe Sud alpha" not in page
    assert world.a.other_employee.display_name not in page


def test_a_salarie_without_a_current_contract_is_not_expected(world, client_for, session):
    gone = make_employee(world.a.structure.id, world.a.team, last_name="Parti")
    gone.contracts[0].ended_early_on = date.today().replace(day=1).replace(year=2000)
    session.commit()
    page = text_of(client_for(world.a.member("eti")).get("/s/alpha/presences/"))
    assert "PARTI" not in page


def test_all_present_marks_everyone_with_the_contract_hours_and_a_replay_does_nothing(
    world, client_for, session
):
    client = client_for(world.a.member("eti"))
    employee = world.a.employee
    record_id = uuid.uuid4()
    url = f"/s/alpha/presences/equipes/{world.a.team.id}/tous-presents"
    form = {f"rec-{employee.id}": str(record_id)}
    first = client.post(url, data=form)
    assert first.status_code == 303
    (record,) = _records(session, employee)
    assert (record.id, record.status, record.hours_worked) == (
        record_id,
        "present",
        Decimal("5.20"),
    )
    again = client.post(url, data=form)
    assert again.status_code == 303
    assert len(_records(session, employee)) == 1
    assert _changes(session, employee) == []
    page = text_of(client.get("/s/alpha/presences/"))
    assert "Présent·e · 5,2 h" in page
    assert "Tous présents" not in page


def test_an_absence_with_its_motif_over_the_htmx_roster(world, client_for, session):
    client = client_for(world.a.member("eti"))
    answer = _mark(client, world.a, world.a.employee, htmx=True, status="absent", motif="maladie")
    assert answer.status_code == 200
    body = text_of(answer)
    assert "<html" not in body and f'id="roster-{world.a.team.id}"' in body
    assert "Absent·e (Maladie)" in body
    (record,) = _records(session, world.a.employee)
    assert record.hours_worked == Decimal("0")


def test_late_takes_the_minutes_off_the_default_hours(world, client_for, session):
    client = client_for(world.a.member("eti"))
    _mark(client, world.a, world.a.employee, status="late", late_minutes="30")
    (record,) = _records(session, world.a.employee)
    assert (record.status, record.late_minutes, record.hours_worked) == (
        "late",
        30,
        Decimal("4.70"),
    )


def test_an_absence_needs_a_motif(world, client_for, session):
    answer = _mark(client_for(world.a.member("eti")), world.a, world.a.employee, status="absent")
    assert answer.status_code == 422
    assert "Choisissez le motif de l'absence." in text_of(answer)
    assert _records(session, world.a.employee) == []


def test_hours_out_of_range_are_refused(world, client_for, session):
    answer = _mark(
        client_for(world.a.member("eti")),
        world.a,
        world.a.employee,
        status="left_early",
        hours_worked="13",
    )
    assert answer.status_code == 422
    assert "Entre 0 et 12 heures." in text_of(answer)


def test_a_second_mark_updates_the_day_and_records_the_change(world, client_for, session):
    first_id = uuid.uuid4()
    _mark(client_for(world.a.member("eti")), world.a, world.a.employee, first_id, status="present")
    coordinator = world.a.member("coordinator")
    answer = _mark(
        client_for(coordinator), world.a, world.a.employee, status="absent", motif="injustifiee"
    )
    assert answer.status_code == 303
    (record,) = _records(session, world.a.employee)
    assert (record.id, record.status, record.motif) == (first_id, "absent", "injustifiee")
    changes = {
        c.field: (c.old_value, c.new_value, c.membership_id)
        for c in _changes(session, world.a.employee)
    }
    # Kept as the screens say it, never as codes or ids.
    assert changes["status"] == ("Présent·e", "Absent·e", coordinator.id)
    assert changes["motif"] == (None, "Absence injustifiée", coordinator.id)
    assert changes["hours_worked"][:2] == ("5,2", "0")
    eti_name = world.a.member("eti").user.full_name
    assert changes["marked_by_id"][:2] == (eti_name, coordinator.user.full_name)


def test_a_replayed_mark_has_no_effect(world, client_for, session):
    client = client_for(world.a.member("eti"))
    record_id = uuid.uuid4()
    _mark(client, world.a, world.a.employee, record_id, status="absent", motif="maladie")
    # The same POST sent again by the phone (or with other values under the same id).
    _mark(client, world.a, world.a.employee, record_id, status="present")
    (record,) = _records(session, world.a.employee)
    assert (record.status, record.motif) == ("absent", "maladie")
    assert _changes(session, world.a.employee) == []


def test_one_record_per_salarie_per_day(world, session):
    site = world.a
    values = {"structure_id": site.structure.id, "employee_id": site.employee.id}
    AttendanceFactory(**values)
    with pytest.raises(IntegrityError):
        AttendanceFactory(**values)
    session.rollback()


def test_the_eti_cannot_mark_another_team_nor_a_salarie_outside_the_roster(world, client_for):
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/presences/equipes/{world.a.other_team.id}/marquer"
    other = {"record_id": str(uuid.uuid4()), "employee_id": str(world.a.other_employee.id)}
    assert client.post(url, data=other | {"status": "present"}).status_code == 404
    answer = _mark(client, world.a, world.a.other_employee, status="present")
    assert answer.status_code == 422
    assert "n'est pas attendu dans cette équipe" in text_of(answer)


def test_cip_reads_the_roster_but_cannot_mark(world, client_for):
    client = client_for(world.a.member("cip"))
    page = text_of(client.get(f"/s/alpha/presences/equipes/{world.a.team.id}"))
    assert world.a.employee.display_name in page
    assert "Tous présents" not in page
    assert _mark(client, world.a, world.a.employee, status="present").status_code == 403


def test_no_future_day_and_no_day_older_than_a_month(world, client_for, session):
    client = client_for(world.a.member("eti"))
    for day in ("2999-01-01", "2000-01-01"):
        answer = _mark(client, world.a, world.a.employee, status="present", jour=day)
        assert answer.status_code == 400 and "Requête invalide" in text_of(answer)
    assert session.scalars(select(Attendance)).all() == []


def test_today_query_count_does_not_grow_with_the_team(world, client_for, session):
    client = client_for(world.a.member("eti"))
    client.get("/s/alpha/presences/")
    with count_queries() as small:
        client.get("/s/alpha/presences/")
    for n in range(6):
        employee = make_employee(world.a.structure.id, world.a.team, last_name=f"Plus{n}")
        AttendanceFactory(
            structure_id=world.a.structure.id, employee_id=employee.id, team_id=world.a.team.id
        )
    with count_queries() as big:
        page = text_of(client.get("/s/alpha/presences/"))
    assert "PLUS5" in page
    assert big.count == small.count


def test_a_roster_reads_the_names_not_the_rest_of_the_file(world, session):
    """A roster shows names only: the salarié's address, phone and accommodations are not
    read into the ETI's request."""
    from sqlalchemy import inspect as sa_inspect

    from siae_app import tenancy
    from siae_app.services import attendance as service

    session.expunge_all()
    with tenancy.tenant_scope(session, world.a.structure.id):
        (roster,) = service.rosters(session, [world.a.team], date.today())
    (row,) = roster.rows
    assert row.employee.display_name == world.a.employee.display_name
    unread = sa_inspect(row.employee).unloaded
    assert {"address", "phone", "email", "accommodations", "birth_date"} <= unread
