"""A mark whose id (minted by the phone) is already another record's — another structure's,
another team's, another day's, another salarié's — answers 409 with the French reason, the
same whatever holds the id; nothing is saved and the other record is unchanged. The same
mark sent again (a replay) still changes nothing and answers as the first time."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.models import AccessLog, Attendance
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import make_employee
from tests.site import app_role, text_of

ID_TAKEN = (
    "Cet enregistrement porte un identifiant déjà utilisé par un autre enregistrement : "
    "il n'a pas été enregistré. Renvoyez-le comme nouvel enregistrement."
)
# The headers of the three ways a mark arrives: the roster's htmx button, the form without
# JavaScript, the phone's queue sending a record made offline.
SENT_BY = {
    "htmx": {"HX-Request": "true"},
    "form": {},
    "offline-replay": {"X-Offline-Replay": "1"},
}
HOLDERS = ("other-structure", "other-team", "yesterday", "other-salarie")


def _record(site, employee, team, **fields) -> Attendance:
    return AttendanceFactory(
        structure_id=site.structure.id, employee_id=employee.id, team_id=team.id, **fields
    )


@pytest.fixture
def holders(world, session) -> dict[str, Attendance]:
    """Records holding the ids the phone sends: none is the ETI's salarié's mark of today.
    They leave the test's session, as in production where each request starts empty."""
    a, b = world.a, world.b
    colleague = make_employee(a.structure.id, a.team, last_name="Collegue")
    found = {
        "other-structure": _record(b, b.employee, b.team),
        "other-team": _record(a, a.other_employee, a.other_team),
        "yesterday": _record(a, a.employee, a.team, day=date.today() - timedelta(days=1)),
        "other-salarie": _record(a, colleague, a.team, status="absent", motif="maladie"),
    }
    session.commit()
    for record in found.values():
        session.expunge(record)
    return found


def _state(session, record_id) -> tuple:
    row = session.execute(
        select(
            Attendance.structure_id,
            Attendance.employee_id,
            Attendance.team_id,
            Attendance.day,
            Attendance.status,
            Attendance.motif,
            Attendance.hours_worked,
            Attendance.marked_by_id,
            Attendance.updated_at,
        ).where(Attendance.id == record_id)
    ).one()
    return tuple(row)


def _today(session, employee) -> list[Attendance]:
    stmt = select(Attendance).where(
        Attendance.employee_id == employee.id, Attendance.day == date.today()
    )
    return list(session.scalars(stmt))


def _url(site, action):
    return f"/s/{site.slug}/presences/equipes/{site.team.id}/{action}"


@pytest.mark.parametrize("sent_by", SENT_BY)
@pytest.mark.parametrize("holder", HOLDERS)
def test_a_mark_with_a_taken_id_is_refused_with_409(
    world, client_for, session, holders, holder, sent_by
):
    taken = holders[holder].id
    before = _state(session, taken)
    answer = client_for(world.a.member("eti")).post(
        _url(world.a, "marquer"),
        data={
            "record_id": str(taken),
            "employee_id": str(world.a.employee.id),
            "status": "present",
        },
        headers=SENT_BY[sent_by],
    )
    assert answer.status_code == 409
    body = text_of(answer)
    row = body.split(f'id="att-{world.a.employee.id}"')[1].split("</li>")[0]
    assert ID_TAKEN in row  # in the salarié's row, where the phone reads it
    assert "Non pointé·e" in row
    assert ("<html" in body) == (sent_by != "htmx")
    assert _today(session, world.a.employee) == []
    assert _state(session, taken) == before


@pytest.mark.parametrize("sent_by", SENT_BY)
@pytest.mark.parametrize("holder", HOLDERS)
def test_all_present_with_one_taken_id_saves_no_one(
    world, client_for, session, holders, holder, sent_by
):
    newcomer = make_employee(world.a.structure.id, world.a.team, last_name="Arrivant")
    session.commit()
    taken = holders[holder].id
    before = _state(session, taken)
    form = {f"rec-{newcomer.id}": str(uuid.uuid4()), f"rec-{world.a.employee.id}": str(taken)}
    answer = client_for(world.a.member("eti")).post(
        _url(world.a, "tous-presents"), data=form, headers=SENT_BY[sent_by]
    )
    assert answer.status_code == 409
    body = text_of(answer)
    assert body.index(ID_TAKEN) < body.index('class="att-list"')  # above the roster
    assert "Tous présents (2)" in body  # still to do, both
    assert _today(session, world.a.employee) == _today(session, newcomer) == []
    assert _state(session, taken) == before


@pytest.mark.parametrize("sent_by", SENT_BY)
def test_all_present_with_one_id_for_two_salaries_saves_no_one(world, client_for, session, sent_by):
    newcomer = make_employee(world.a.structure.id, world.a.team, last_name="Arrivant")
    session.commit()
    same = str(uuid.uuid4())
    form = {f"rec-{newcomer.id}": same, f"rec-{world.a.employee.id}": same}
    answer = client_for(world.a.member("eti")).post(
        _url(world.a, "tous-presents"), data=form, headers=SENT_BY[sent_by]
    )
    assert answer.status_code == 409
    assert ID_TAKEN in text_of(answer)
    assert _today(session, world.a.employee) == _today(session, newcomer) == []


def test_a_mark_with_the_id_of_a_mark_made_in_the_same_roster_is_refused(
    world, client_for, session
):
    """The colleague was marked by this ETI a moment ago; the phone sends the salarié's mark
    under the same id (one id for two salariés): the roster holds the id, no INSERT needed."""
    colleague = make_employee(world.a.structure.id, world.a.team, last_name="Collegue")
    session.commit()
    client = client_for(world.a.member("eti"))
    record_id = str(uuid.uuid4())
    first = {"record_id": record_id, "employee_id": str(colleague.id), "status": "present"}
    assert client.post(_url(world.a, "marquer"), data=first).status_code == 303
    second = first | {
        "employee_id": str(world.a.employee.id),
        "status": "late",
        "late_minutes": "20",
    }
    answer = client.post(_url(world.a, "marquer"), data=second, headers=SENT_BY["htmx"])
    assert answer.status_code == 409
    assert ID_TAKEN in text_of(answer)
    assert _today(session, world.a.employee) == []
    (kept,) = _today(session, colleague)
    assert (str(kept.id), kept.status) == (record_id, "present")


@pytest.mark.parametrize("sent_by", SENT_BY)
def test_the_same_mark_sent_again_answers_as_the_first_time(world, client_for, session, sent_by):
    client = client_for(world.a.member("eti"))
    mark = {
        "record_id": str(uuid.uuid4()),
        "employee_id": str(world.a.employee.id),
        "status": "absent",
        "motif": "maladie",
    }
    headers = SENT_BY[sent_by]
    first = client.post(_url(world.a, "marquer"), data=mark, headers=headers)
    again = client.post(_url(world.a, "marquer"), data=mark, headers=headers)
    assert first.status_code == again.status_code == (200 if sent_by == "htmx" else 303)
    assert ID_TAKEN not in text_of(again)
    (record,) = _today(session, world.a.employee)
    assert (str(record.id), record.status, record.motif) == (mark["record_id"], "absent", "maladie")
    assert record.hours_worked == Decimal("0")


def test_a_taken_id_leaves_the_requests_transaction_usable(
    app, world, session, holders, _transaction
):
    """Under the application's role (row-level security on PostgreSQL), the INSERT that meets
    another structure's id fails inside its SAVEPOINT: the access-log row written before it
    in the same transaction stays, and the transaction still answers queries."""
    from siae_app.services import ServiceError
    from siae_app.services import attendance as service
    from siae_app.services.employees import access_log

    eti = world.a.member("eti")
    with app.test_request_context(), app_role(_transaction):
        tenancy.activate(session, world.a.structure.id)
        logged = access_log.record_view(session, eti, world.a.employee, "fiche").id
        (roster,) = service.rosters(session, [world.a.team], date.today())
        mark = service.Mark(holders["other-structure"].id, world.a.employee.id, "present")
        with pytest.raises(ServiceError) as refused:
            service.mark(session, eti, roster, mark)
        assert refused.value.message == ID_TAKEN
        assert session.scalar(select(func.count()).where(AccessLog.id == logged)) == 1
        assert _today(session, world.a.employee) == []
