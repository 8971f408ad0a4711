"""Présences (services/attendance.py): hours in French as Babel writes them, the week and
month of a day, and the totals (hours, days, assiduité) a grid and its export show."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import format_decimal
from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Attendance, Employee, Team
from siae_app.services import ServiceError, attendance
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.site import text_of


@pytest.mark.parametrize(
    "value",
    ["0", "0.5", "7", "20", "17.50", "35.00", "0.125", "999.99", "1000", "1234.5", "-3", "1.2345"],
)
def test_hours_are_written_as_babel_writes_them_in_french(app, value):
    with app.test_request_context():
        assert attendance.hours_fr(Decimal(value)) == format_decimal(Decimal(value))


def test_hours_in_french_examples(app):
    with app.test_request_context():
        assert attendance.hours_fr(Decimal("17.50")) == "17,5"
        assert attendance.hours_fr(Decimal("1000")) == "1\u202f000"
        assert attendance.hours_fr(None) == ""


def test_a_week_runs_from_monday_to_sunday_and_a_month_from_the_first_to_the_last_day():
    assert attendance.week_of(date(2026, 3, 5)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert attendance.week_of(date(2026, 3, 2)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert attendance.month_of(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert attendance.month_of(date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert attendance.month_of(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))


def _mark(client, site, employee, **data):
    url = f"/s/{site.slug}/presences/equipes/{site.team.id}/marquer"
    form = {"record_id": str(uuid.uuid4()), "employee_id": str(employee.id)}
    return client.post(url, data=form | data)


def test_marking_again_without_hours_gives_the_contract_hours(world, client_for, session):
    site = world.a
    client = client_for(site.member("eti"))
    employee = site.employee
    assert _mark(client, site, employee, status="absent", motif="maladie").status_code < 400
    assert _mark(client, site, employee, status="present").status_code < 400
    session.expire_all()
    tenancy.activate_system(session)
    record = session.scalar(select(Attendance).where(Attendance.employee_id == employee.id))
    # 26 h a week (the factory's contract) over five days.
    assert (record.status, record.motif, record.hours_worked) == ("present", None, Decimal("5.20"))


def test_a_salarie_not_expected_in_the_team_cannot_be_marked(world, client_for):
    site = world.a
    r = _mark(client_for(site.member("coordinator")), site, site.other_employee, status="present")
    assert r.status_code == 422
    assert "Ce salarié n'est pas attendu dans cette équipe ce jour-là." in text_of(r)


def _cell(employee, team, day, status="present", motif=None, hours="7"):
    return attendance.Cell(employee.id, team.id, day, status, motif, None, Decimal(hours))


def test_totals_count_each_absence_by_its_motif():
    totals = attendance.Totals()
    employee, team = Employee(id=uuid.uuid4()), Team(id=uuid.uuid4())
    for day, status, motif in [
        (1, "absent", "maladie"),
        (2, "absent", "maladie"),
        (3, "absent", "conge"),
        (4, "present", None),
        (5, "late", None),
    ]:
        hours = "0" if status == "absent" else "7"
        totals.add(_cell(employee, team, date(2026, 3, day), status, motif, hours))
    assert totals.absences == {"maladie": 2, "conge": 1}
    assert (totals.present_days, totals.absent_days, totals.hours) == (2, 3, Decimal("14"))
    assert totals.rate == 50  # the congé is not due: 2 days present out of 4 due


def test_a_teams_grid_lists_its_salaries_and_those_who_worked_in_it_that_month(world, session):
    site = world.a
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    visiting = f.make_employee(site.structure.id, site.other_team, last_name="Venu")
    earlier = f.make_employee(site.structure.id, site.other_team, last_name="Avant")
    for employee, day in [(visiting, date(2026, 3, 10)), (earlier, date(2026, 2, 27))]:
        AttendanceFactory(
            structure_id=site.structure.id, employee_id=employee.id, team_id=site.team.id, day=day
        )
    # Worked in its own team that month: not one of this team's.
    AttendanceFactory(
        structure_id=site.structure.id,
        employee_id=site.other_employee.id,
        team_id=site.other_team.id,
        day=date(2026, 3, 10),
    )
    session.commit()
    with tenancy.tenant_scope(session, site.structure.id):
        stmt = attendance.team_members_stmt(select(Employee), site.team.id, start, end)
        found = attendance.grid(session, stmt, start, end, team_id=site.team.id)
    assert {line.employee.id for line in found.lines} == {site.employee.id, visiting.id}
    assert found.totals.present_days == 1


@pytest.fixture
def roster(world, session):
    site = world.a
    with tenancy.tenant_scope(session, site.structure.id):
        found = attendance.rosters(session, [site.team], date.today())[0]
    assert [row.employee.id for row in found.rows] == [site.employee.id]
    return found


@pytest.mark.parametrize(
    ("status", "motif", "message", "field"),
    [
        ("endormi", None, "Choisissez présent, absent, retard ou départ anticipé.", "status"),
        ("absent", None, "Choisissez le motif de l'absence.", "motif"),
        ("absent", "flemme", "Choisissez le motif de l'absence.", "motif"),
    ],
)
def test_a_refused_mark_names_its_field(world, session, roster, status, motif, message, field):
    mark = attendance.Mark(uuid.uuid4(), world.a.employee.id, status, motif=motif)
    with tenancy.tenant_scope(session, world.a.structure.id), pytest.raises(ServiceError) as e:
        attendance.mark(session, world.a.member("eti"), roster, mark)
    assert (e.value.message, e.value.field) == (message, field)


def test_late_marks_take_the_minutes_off_the_day(world, session, roster):
    mark = attendance.Mark(uuid.uuid4(), world.a.employee.id, "late", late_minutes=90)
    with tenancy.tenant_scope(session, world.a.structure.id):
        record = attendance.mark(session, world.a.member("eti"), roster, mark)
    assert (record.late_minutes, record.hours_worked) == (90, Decimal("3.70"))  # 5,20 h - 1,5 h


def _marked(world, session, roster, **fields):
    mark = attendance.Mark(uuid.uuid4(), world.a.employee.id, **fields)
    with tenancy.tenant_scope(session, world.a.structure.id):
        return attendance.mark(session, world.a.member("eti"), roster, mark)


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"status": "late"}, "Indiquez le retard en minutes (1 à 600).", "late_minutes"),
        (
            {"status": "late", "late_minutes": 0},
            "Indiquez le retard en minutes (1 à 600).",
            "late_minutes",
        ),
        (
            {"status": "late", "late_minutes": 601},
            "Indiquez le retard en minutes (1 à 600).",
            "late_minutes",
        ),
        (
            {"status": "present", "hours_worked": Decimal("12.01")},
            "Les heures travaillées vont de 0 à 12.",
            "hours_worked",
        ),
        (
            {"status": "present", "hours_worked": Decimal("-0.5")},
            "Les heures travaillées vont de 0 à 12.",
            "hours_worked",
        ),
    ],
)
def test_minutes_and_hours_outside_their_range_are_refused(
    world, session, roster, fields, message, field
):
    with pytest.raises(ServiceError) as refused:
        _marked(world, session, roster, **fields)
    assert (refused.value.message, refused.value.field) == (message, field)


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"status": "late", "late_minutes": 1}, (1, Decimal("5.18"))),
        ({"status": "late", "late_minutes": 600}, (600, Decimal("0.00"))),
        ({"status": "present", "hours_worked": Decimal("0")}, (None, Decimal("0.00"))),
        ({"status": "present", "hours_worked": Decimal("12")}, (None, Decimal("12.00"))),
        ({"status": "present", "hours_worked": Decimal("7.125")}, (None, Decimal("7.13"))),
    ],
)
def test_minutes_and_hours_at_their_limits_are_kept(world, session, roster, fields, stored):
    record = _marked(world, session, roster, **fields)
    assert (record.late_minutes, record.hours_worked) == stored


def test_a_day_without_weekly_hours_has_none():
    assert attendance.daily_hours(None) == attendance.daily_hours(0) == Decimal("0.00")
    assert attendance.daily_hours(Decimal("35")) == Decimal("7.00")


def test_the_message_of_a_salarie_not_expected(world, session, roster):
    with pytest.raises(ServiceError) as refused:
        _marked_as(world, session, roster, world.a.other_employee.id)
    assert refused.value.message == "Ce salarié n'est pas attendu dans cette équipe ce jour-là."


def _marked_as(world, session, roster, employee_id):
    mark = attendance.Mark(uuid.uuid4(), employee_id, "present")
    with tenancy.tenant_scope(session, world.a.structure.id):
        return attendance.mark(session, world.a.member("eti"), roster, mark)


def test_all_present_marks_those_not_yet_marked_once(world, session):
    site, eti = world.a, world.a.member("eti")
    other = f.make_employee(site.structure.id, site.team, last_name="Aubert")
    session.commit()
    with tenancy.tenant_scope(session, site.structure.id):
        roster = attendance.rosters(session, [site.team], date.today())[0]
        ids = {row.employee.id: uuid.uuid4() for row in roster.rows}
        assert attendance.mark_all_present(session, eti, roster, ids) == 2
        assert attendance.mark_all_present(session, eti, roster, ids) == 0  # a replay
        session.flush()
    for row in roster.rows:
        assert row.record.id == ids[row.employee.id]
        assert (row.record.employee_id, row.record.status) == (row.employee.id, "present")
    assert {row.employee.id for row in roster.rows} == {site.employee.id, other.id}


def test_a_roster_is_in_name_order_and_counts_the_first_and_last_days(world, session):
    site = world.a
    today = date.today()
    people = [
        f.make_employee(site.structure.id, site.team, last_name="Martin", first_name="Zoé"),
        f.make_employee(site.structure.id, site.team, last_name="Martin", first_name="Alice"),
        f.make_employee(site.structure.id, site.team, last_name="Bernard", first_name="Yves"),
    ]
    people[1].contracts[0].start_date = today  # its first day (the latest contract)
    people[0].contracts[0].ended_early_on = today  # its last day
    people[2].exit_date = today  # leaves tonight
    session.commit()
    with tenancy.tenant_scope(session, site.structure.id):
        roster = attendance.rosters(session, [site.team], today)[0]
    names = [(row.employee.last_name, row.employee.first_name) for row in roster.rows]
    assert names[:3] == [("Bernard", "Yves"), ("Martin", "Alice"), ("Martin", "Zoé")]


def test_a_grid_lists_its_salaries_in_name_order_and_ignores_the_marks_of_others(world, session):
    site = world.a
    day = date(2026, 3, 10)
    zoe = f.make_employee(site.structure.id, site.team, last_name="Martin", first_name="Zoé")
    alice = f.make_employee(site.structure.id, site.team, last_name="Martin", first_name="Alice")
    yves = f.make_employee(site.structure.id, site.team, last_name="Bernard", first_name="Yves")
    for employee in (zoe, alice, yves, site.other_employee):
        AttendanceFactory(
            structure_id=site.structure.id, employee_id=employee.id, team_id=site.team.id, day=day
        )
    session.commit()
    listed = select(Employee).where(Employee.id.in_([zoe.id, alice.id, yves.id]))
    with tenancy.tenant_scope(session, site.structure.id):
        found = attendance.grid(session, listed, day, day)
    assert [line.employee.id for line in found.lines] == [yves.id, alice.id, zoe.id]
    assert found.totals.present_days == 3  # the fourth mark is not one of theirs


def _absent(site, employee, day, motif="injustifiee"):
    return AttendanceFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        team_id=site.team.id,
        day=day,
        status="absent",
        motif=motif,
        hours_worked=Decimal("0"),
    )


def test_unjustified_absences_in_a_row_count_from_the_last_other_mark(world, session):
    site = world.a
    only_absent = f.make_employee(site.structure.id, site.team, last_name="Absent")
    came_back = f.make_employee(site.structure.id, site.team, last_name="Revenu")
    not_asked = f.make_employee(site.structure.id, site.team, last_name="Autre")
    for n in range(1, 4):
        _absent(site, only_absent, date(2026, 3, n))
    _absent(site, came_back, date(2026, 3, 1))
    AttendanceFactory(
        structure_id=site.structure.id,
        employee_id=came_back.id,
        team_id=site.team.id,
        day=date(2026, 3, 2),
    )
    _absent(site, came_back, date(2026, 3, 3))
    _absent(site, not_asked, date(2026, 3, 3))
    session.commit()
    with tenancy.tenant_scope(session, site.structure.id):
        streaks = attendance.unjustified_streaks(session, [only_absent.id, came_back.id])
    assert streaks == {only_absent.id: 3, came_back.id: 1}


def test_the_monthly_export_leaves_blank_what_is_unknown(world, session):
    """A salarié with no team and no day due this month: blank cells, never a placeholder."""
    site = world.a
    loner = f.make_employee(site.structure.id, None, last_name="Sansequipe", first_name="Léa")
    session.commit()
    listed = select(Employee).where(Employee.id == loner.id)
    with tenancy.tenant_scope(session, site.structure.id):
        month = attendance.month_export(session, listed, date(2026, 3, 1), date(2026, 3, 31))
    [row] = attendance.export_rows(month)
    assert row[:3] == ["SANSEQUIPE", "Léa", ""]
    assert row[-1] == ""
