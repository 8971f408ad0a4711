"""The PASS IAE's rules (services/employees/pass_iae.py): a suspension starts while the PASS
is valid and never shares a day with another, a prolongation lasts 1 to 12 months, every
refusal names its field in French, and each addition is recorded with its author.

The 12 digits of the number are tested with the other limits of the file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ChangeRecord, PassIae
from siae_app.services import ServiceError
from siae_app.services.employees import pass_iae
from tests import factories as f
from tests.employees.helpers import file_url, system

START = date(2025, 1, 1)
END = date(2026, 12, 31)
TODAY = date(2025, 12, 31)  # the suspensions below start at most 365 days before


@pytest.fixture
def pass_obj(world) -> PassIae:
    """A PASS of alpha's salarié from 01/01/2025 to 31/12/2026, without suspension."""
    site = world.a
    employee = f.EmployeeFactory(structure_id=site.structure.id, team_id=site.team.id)
    found = f.PassIaeFactory(
        structure_id=site.structure.id, employee_id=employee.id, start_date=START, end_date=END
    )
    db.session.commit()
    return found


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(pass_iae, "_today", lambda: TODAY)


def _add(session, what, pass_obj, values, membership=None):
    with tenancy.tenant_scope(session, pass_obj.structure_id):
        return what(session, membership, pass_obj, values)


def _refused(session, what, pass_obj, values) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        _add(session, what, pass_obj, values)
    return refused.value


def _suspension(start, end, motif="contrat_suspendu"):
    return {"motif": motif, "start_date": start, "end_date": end}


def _extension(months=6, decided_on=date(2026, 6, 1), motif="fin_formation"):
    return {
        "motif": motif,
        "months": months,
        "decided_on": decided_on,
        "training_end": date(2028, 12, 31),
    }


@pytest.mark.parametrize("start", [START, END], ids=["first-day", "last-day"])
def test_a_suspension_may_start_on_the_first_or_last_day_of_validity(session, pass_obj, start):
    suspension = _add(session, pass_iae.add_suspension, pass_obj, _suspension(start, start))
    assert suspension.start_date == start


@pytest.mark.parametrize("start", [START - timedelta(days=1), END + timedelta(days=1)])
def test_a_suspension_outside_the_validity_is_refused(session, pass_obj, start):
    refused = _refused(
        session, pass_iae.add_suspension, pass_obj, _suspension(start, start + timedelta(days=3))
    )
    assert refused.field == "start_date"
    assert refused.message == (
        "La suspension doit commencer pendant la validité du PASS (du 01/01/2025 au 31/12/2026)."
    )


def test_two_suspensions_never_share_a_day(session, pass_obj):
    first = _suspension(date(2025, 3, 1), date(2025, 3, 31))
    _add(session, pass_iae.add_suspension, pass_obj, first)
    for start, end in [
        (date(2025, 3, 31), date(2025, 4, 10)),  # starts on its last day
        (date(2025, 2, 20), date(2025, 3, 1)),  # ends on its first day
    ]:
        refused = _refused(session, pass_iae.add_suspension, pass_obj, _suspension(start, end))
        assert refused.field == "start_date"
        assert refused.message == (
            "Une suspension couvre déjà la période du 01/03/2025 au 31/03/2025."
        )
    # The days just before and just after are free; the PASS ends later by their length.
    _add(
        session, pass_iae.add_suspension, pass_obj, _suspension(date(2025, 4, 1), date(2025, 4, 1))
    )
    _add(
        session,
        pass_iae.add_suspension,
        pass_obj,
        _suspension(date(2025, 2, 28), date(2025, 2, 28)),
    )
    assert pass_iae.effective_end(pass_obj) == END + timedelta(days=31 + 2)


@pytest.mark.parametrize(
    ("what", "values", "message"),
    [
        (
            pass_iae.add_suspension,
            _suspension(START, END, motif=""),
            "Choisissez le motif de la suspension.",
        ),
        (
            pass_iae.add_extension,
            _extension(motif="amitie"),
            "Choisissez le motif de la prolongation.",
        ),
    ],
)
def test_a_missing_motif_is_asked_for(session, pass_obj, what, values, message):
    refused = _refused(session, what, pass_obj, values)
    assert (refused.message, refused.field) == (message, "motif")


@pytest.mark.parametrize("months", [1, 12])
def test_a_prolongation_of_1_to_12_months_is_accepted(session, pass_obj, months):
    _add(session, pass_iae.add_extension, pass_obj, _extension(months=months))
    assert pass_iae.effective_end(pass_obj) == pass_iae.add_months(END, months)


@pytest.mark.parametrize("months", [None, 0, 13])
def test_a_prolongation_outside_1_to_12_months_is_refused(session, pass_obj, months):
    refused = _refused(session, pass_iae.add_extension, pass_obj, _extension(months=months))
    assert (refused.message, refused.field) == ("Une prolongation dure de 1 à 12 mois.", "months")


def test_a_prolongation_needs_the_date_of_its_decision(session, pass_obj):
    refused = _refused(session, pass_iae.add_extension, pass_obj, _extension(decided_on=None))
    assert (refused.message, refused.field) == ("Indiquez la date de la décision.", "decided_on")


def _lines(session, entity):
    return session.scalars(select(ChangeRecord).where(ChangeRecord.entity == entity)).all()


@pytest.mark.parametrize(
    ("motif", "sensitive"), [("rqth", True), ("difficultes_particulieres", False)]
)
def test_a_prolongation_is_recorded_with_its_author(world, session, pass_obj, motif, sensitive):
    cip = world.a.member("cip")
    _add(session, pass_iae.add_extension, pass_obj, _extension(motif=motif), membership=cip)
    lines = {line.field: line for line in _lines(session, "pass_extension")}
    assert set(lines) == {"motif", "months", "decided_on"}
    assert {line.membership_id for line in lines.values()} == {cip.id}
    # Only a motif that reveals a handicap is a sensitive line.
    assert lines["motif"].sensitive is sensitive and not lines["months"].sensitive


def test_a_suspension_is_recorded_with_its_author(world, session, pass_obj):
    cip = world.a.member("cip")
    _add(session, pass_iae.add_suspension, pass_obj, _suspension(START, START), membership=cip)
    lines = _lines(session, "pass_suspension")
    assert {line.field for line in lines} == {"motif", "start_date", "end_date"}
    assert {line.membership_id for line in lines} == {cip.id}


def test_editing_a_pass_records_the_change_and_its_author(world, client_for):
    site, coordinator = world.a, world.a.member("coordinator")
    found = site.employee.passes[0]
    r = client_for(coordinator).post(
        file_url(site, path=f"/pass/{found.id}/modifier"),
        data={
            "number": "999 990 000 042",
            "start_date": found.start_date.isoformat(),
            "end_date": found.end_date.isoformat(),
        },
    )
    assert r.status_code == 303
    system()
    db.session.refresh(found)
    assert found.number == "999990000042"
    lines = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "pass", ChangeRecord.entity_id == found.id
        )
    ).all()
    assert [(line.field, line.new_value, line.membership_id) for line in lines] == [
        ("number", "999990000042", coordinator.id)
    ]


def _new_pass(session, employee, values, membership=None):
    with tenancy.tenant_scope(session, employee.structure_id):
        return pass_iae.create_pass(session, membership, employee, values)


@pytest.mark.parametrize(
    ("values", "message", "field"),
    [
        ({"start_date": None}, "La date de début est obligatoire.", "start_date"),
        ({"end_date": START}, "La date de fin doit être après la date de début.", "end_date"),
        (
            {"end_date": START - timedelta(days=1)},
            "La date de fin doit être après la date de début.",
            "end_date",
        ),
        (
            {"number": "PASS-A"},
            "Le numéro de PASS IAE compte 12 chiffres (exemple : 999992012345).",
            "number",
        ),
    ],
)
def test_each_refused_pass_names_its_field(session, pass_obj, values, message, field):
    typed = {"number": "999990000043", "start_date": START, "end_date": None} | values
    with pytest.raises(ServiceError) as refused:
        _new_pass(session, pass_obj.employee, typed)
    assert (refused.value.message, refused.value.field) == (message, field)


def test_a_suspension_needs_both_dates(session, pass_obj):
    for start, end, message, field in [
        (None, START, "La date de début est obligatoire.", "start_date"),
        (START, None, "La date de fin est obligatoire.", "end_date"),
        (
            START,
            START - timedelta(days=1),
            "La date de fin doit être après la date de début.",
            "end_date",
        ),
    ]:
        refused = _refused(session, pass_iae.add_suspension, pass_obj, _suspension(start, end))
        assert (refused.message, refused.field) == (message, field)


def test_a_new_pass_lasts_24_months_unless_its_end_is_given(world, session, pass_obj):
    cip = world.a.member("cip")
    site = world.a
    first, second = (
        f.EmployeeFactory(structure_id=site.structure.id, team_id=site.team.id) for _ in "ab"
    )
    db.session.commit()
    usual = _new_pass(session, first, {"number": "999990000044", "start_date": START}, cip)
    assert usual.end_date == date(2026, 12, 31)
    given = _new_pass(
        session,
        second,
        {"number": "999990000045", "start_date": START, "end_date": date(2025, 6, 30)},
    )
    assert given.end_date == date(2025, 6, 30)
    lines = session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "pass", ChangeRecord.entity_id == usual.id
        )
    ).all()
    assert {line.field for line in lines} >= {"number", "start_date", "end_date"}
    assert {line.membership_id for line in lines} == {cip.id}


def test_suspensions_push_the_end_back_by_their_length_and_prolongations_add_months():
    end = date(2026, 1, 31)
    assert pass_iae.end_from(end, [], []) == end
    # Ten days of suspension (both ends counted), then one month: 10/02, then 10/03.
    assert pass_iae.end_from(end, [(date(2025, 6, 1), date(2025, 6, 10))], [1]) == date(2026, 3, 10)
    assert pass_iae.end_from(end, [(date(2025, 6, 1), date(2025, 6, 1))], []) == date(2026, 2, 1)
    assert pass_iae.end_from(end, [], [1, 2]) == date(2026, 4, 28)  # 28/02, then 28/04


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 1, 31), "VALID"),  # its last day
        (date(2026, 2, 1), "EXPIRED"),
        (date(2025, 6, 1), "SUSPENDED"),  # first day of a suspension
        (date(2025, 6, 10), "SUSPENDED"),  # its last day
        (date(2025, 6, 11), "VALID"),
    ],
)
def test_the_status_of_a_pass_on_a_day(today, status):
    suspensions = [(date(2025, 6, 1), date(2025, 6, 10))]
    assert pass_iae.status_from(date(2026, 1, 31), suspensions, today) == getattr(
        pass_iae.PassStatus, status
    )


def test_the_status_of_a_stored_pass_counts_its_suspensions_and_prolongations(session, pass_obj):
    _add(
        session, pass_iae.add_suspension, pass_obj, _suspension(date(2025, 6, 1), date(2025, 6, 10))
    )
    _add(session, pass_iae.add_extension, pass_obj, _extension(months=2))
    assert pass_iae.effective_end(pass_obj) == date(2027, 3, 10)
    assert pass_iae.status(pass_obj, date(2027, 3, 10)) == pass_iae.PassStatus.VALID
    assert pass_iae.status(pass_obj, date(2027, 3, 11)) == pass_iae.PassStatus.EXPIRED
    assert pass_iae.status(pass_obj, date(2025, 6, 5)) == pass_iae.PassStatus.SUSPENDED
