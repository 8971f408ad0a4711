"""The CDDI's rules (services/employees/contracts.py): each refusal says what is wrong at the
field it is about, dates of two contracts never meet, an edit is recorded with its author,
and a motif revealing a handicap stays a sensitive line of the history.

The 20-hour and 24-month limits are tested with the other limits of the file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ChangeRecord, Contract, Employee
from siae_app.services import ServiceError
from siae_app.services.employees import contracts
from tests import factories as f
from tests.employees.helpers import file_url, system

START = date(2025, 1, 6)
END = date(2025, 7, 5)


def _values(**changes):
    values = {
        "start_date": START,
        "end_date": END,
        "weekly_hours": Decimal("26"),
        "derogation_motif": None,
        "ended_early_on": None,
    }
    return values | changes


@pytest.fixture
def newcomer(world):
    """A salarié of alpha with no contract yet."""
    site = world.a
    employee = f.EmployeeFactory(structure_id=site.structure.id, team_id=site.team.id)
    db.session.commit()
    return employee


def _create(session, employee, values) -> Contract:
    with tenancy.tenant_scope(session, employee.structure_id):
        return contracts.create_contract(session, None, employee, values)


def _refusal(session, employee, values, contract=None) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        contracts.validate(session, employee, contract, values)
    return refused.value


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"start_date": None}, "La date de début est obligatoire.", "start_date"),
        ({"end_date": None}, "La date de fin est obligatoire.", "end_date"),
        ({"end_date": START}, "La date de fin doit être après la date de début.", "end_date"),
        (
            {"end_date": START - timedelta(days=1)},
            "La date de fin doit être après la date de début.",
            "end_date",
        ),
        (
            {"ended_early_on": START - timedelta(days=1)},
            "La fin anticipée doit tomber entre le début et la fin du contrat.",
            "ended_early_on",
        ),
        (
            {"ended_early_on": END + timedelta(days=1)},
            "La fin anticipée doit tomber entre le début et la fin du contrat.",
            "ended_early_on",
        ),
        ({"weekly_hours": None}, "Indiquez la durée hebdomadaire.", "weekly_hours"),
        ({"derogation_motif": "amitie"}, "Motif de dérogation inconnu.", "derogation_motif"),
        ({"annex_kind": "XYZ"}, "Type d'annexe financière inconnu.", "annex_kind"),
        (
            {"weekly_hours": Decimal("48.01")},
            "La durée hebdomadaire doit être comprise entre 1 et 48 heures.",
            "weekly_hours",
        ),
        (
            {"weekly_hours": Decimal("19.99")},
            "En ACI, un CDDI compte au moins 20 heures par semaine.",
            "weekly_hours",
        ),
    ],
)
def test_each_refusal_names_its_field_in_french(session, newcomer, changes, message, field):
    refused = _refusal(session, newcomer, _values(**changes))
    assert (refused.message, refused.field) == (message, field)


@pytest.mark.parametrize(("hours", "kind"), [("0.99", "EI"), ("0", None), ("48.01", "EI")])
def test_hours_outside_1_to_48_are_refused_whatever_the_structure(hours, kind):
    with pytest.raises(ServiceError) as refused:
        contracts._check_hours(Decimal(hours), kind)
    assert refused.value.message == "La durée hebdomadaire doit être comprise entre 1 et 48 heures."


@pytest.mark.parametrize(
    ("hours", "kind"), [("1", "EI"), ("1", None), ("48", "ACI"), ("20", "ACI")]
)
def test_hours_at_the_limits_are_accepted(hours, kind):
    contracts._check_hours(Decimal(hours), kind)


def test_the_annex_kind_is_kept_and_an_empty_one_is_none(session, newcomer):
    kept = _create(session, newcomer, _values(annex_kind="EI"))
    assert kept.annex_kind == "EI"
    session.expire(kept)  # read back as stored: a CDDI
    assert kept.kind == "cddi"
    assert contracts._clean(_values(annex_kind=""))["annex_kind"] is None


@pytest.mark.parametrize("kind", [None, "ACI", "EI"])
def test_a_known_annex_kind_or_none_is_accepted(session, newcomer, kind):
    contracts.validate(session, newcomer, None, _values(annex_kind=kind))


@pytest.mark.parametrize("early", [START, END])
def test_an_early_end_on_the_first_or_last_day_is_accepted(session, newcomer, early):
    contracts.validate(session, newcomer, None, _values(ended_early_on=early))


def test_two_contracts_may_follow_each_other_but_never_share_a_day(session, newcomer):
    _create(session, newcomer, _values())
    after = {"start_date": END, "end_date": END + timedelta(days=90)}
    before = {"start_date": START - timedelta(days=90), "end_date": START}
    for dates in (after, before):
        refused = _refusal(session, newcomer, _values(**dates))
        assert refused.field == "start_date"
        assert refused.message == (
            "Ces dates chevauchent un autre contrat du salarié (du 06/01/2025 au 05/07/2025)."
        )
    # The day after its end, and the day before its start, are free.
    contracts.validate(
        session,
        newcomer,
        None,
        _values(start_date=END + timedelta(days=1), end_date=date(2025, 12, 31)),
    )
    contracts.validate(
        session,
        newcomer,
        None,
        _values(start_date=date(2024, 6, 1), end_date=START - timedelta(days=1)),
    )


@pytest.mark.parametrize(("motif", "sensitive"), [("rqth", True), ("fin_formation", False)])
def test_a_motif_revealing_a_handicap_is_a_sensitive_line(session, newcomer, motif, sensitive):
    contract = _create(session, newcomer, _values(derogation_motif=motif))
    line = session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == contract.id, ChangeRecord.field == "derogation_motif"
        )
    )
    assert line.new_value == contracts.DEROGATION_MOTIFS[motif] and line.sensitive is sensitive


def test_editing_a_contract_records_the_change_and_its_author(world, client_for):
    # The CIP: only the CIP takes away a motif revealing a handicap (test_sensitive_writes).
    site, author = world.a, world.a.member("cip")
    contract = site.employee.contracts[0]
    contract.derogation_motif = "rqth"
    db.session.commit()
    form = {
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "weekly_hours": "30",
        "derogation_motif": "",
        "ended_early_on": "",
    }
    r = client_for(author).post(file_url(site, path=f"/contrats/{contract.id}/modifier"), data=form)
    assert r.status_code == 303  # its own dates do not overlap itself
    system()
    db.session.refresh(contract)
    assert contract.weekly_hours == Decimal("30") and contract.derogation_motif is None
    lines = {
        line.field: line
        for line in db.session.scalars(
            select(ChangeRecord).where(
                ChangeRecord.entity == "contract", ChangeRecord.entity_id == contract.id
            )
        )
    }
    assert set(lines) == {"weekly_hours", "derogation_motif"}
    assert {line.membership_id for line in lines.values()} == {author.id}
    # The motif taken away revealed a handicap: the line stays sensitive.
    assert lines["derogation_motif"].sensitive and not lines["weekly_hours"].sensitive
    assert lines["derogation_motif"].old_value == "Travailleur handicapé (RQTH)"


def test_an_edit_refused_changes_nothing(world, client_for):
    site = world.a
    contract = site.employee.contracts[0]
    r = client_for(site.member("cip")).post(
        file_url(site, path=f"/contrats/{contract.id}/modifier"),
        data={
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.start_date.isoformat(),
            "weekly_hours": "30",
        },
    )
    assert r.status_code == 422
    assert "La date de fin doit être après la date de début." in r.get_data(as_text=True)
    system()
    assert db.session.get(Contract, contract.id).weekly_hours == Decimal("26")


def test_a_renewal_follows_its_contract_and_is_recorded_with_its_author(world, client_for):
    site, cip = world.a, world.a.member("cip")
    parent = site.employee.contracts[0]
    start = parent.end_date + timedelta(days=1)
    r = client_for(cip).post(
        file_url(site, path=f"/contrats/{parent.id}/avenant"),
        data={
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=180)).isoformat(),
            "weekly_hours": "26",
        },
    )
    assert r.status_code == 303
    system()
    renewal = db.session.scalar(select(Contract).where(Contract.parent_id == parent.id))
    assert renewal.kind == "cddi" and renewal.start_date == start
    lines = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "contract", ChangeRecord.entity_id == renewal.id
        )
    ).all()
    assert "parent_id" in {line.field for line in lines}
    assert {line.membership_id for line in lines} == {cip.id}


def _sortie(client, site, employee, day):
    return client.post(
        file_url(site, employee, "/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": day.isoformat(),
            "exit_kind": "autre",
            "exit_reason": "abandon",
        },
    )


@pytest.mark.parametrize(("offset", "ends_early"), [(0, True), (None, False)])
def test_a_sortie_ends_the_contract_early_from_its_first_day_but_not_on_its_last(
    world, client_for, offset, ends_early
):
    site, cip = world.a, world.a.member("cip")
    employee = f.make_employee(site.structure.id, site.team, cip)
    contract = employee.contracts[0]
    day = contract.start_date if offset == 0 else contract.end_date
    if employee.entry_date > day:
        employee.entry_date = contract.start_date
    db.session.commit()
    assert _sortie(client_for(cip), site, employee, day).status_code == 303
    system()
    db.session.refresh(contract)
    assert contract.ended_early_on == (day if ends_early else None)
    line = db.session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == contract.id, ChangeRecord.field == "ended_early_on"
        )
    )
    assert (line.membership_id if line else None) == (cip.id if ends_early else None)


def test_the_current_contract_is_the_one_running_that_day_else_the_last():
    first = Contract(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    second = Contract(start_date=date(2025, 7, 1), end_date=date(2025, 12, 31))
    employee = Employee(contracts=[first, second])
    assert contracts.current_contract(employee, date(2025, 1, 1)) is first  # its first day
    assert contracts.current_contract(employee, date(2025, 6, 30)) is first  # its last day
    assert contracts.current_contract(employee, date(2026, 3, 1)) is second  # none running
    assert contracts.current_contract(Employee(contracts=[]), date(2025, 1, 1)) is None
    today = date.today()
    running = Contract(start_date=today, end_date=today + timedelta(days=30))
    later = Contract(start_date=today + timedelta(days=31), end_date=today + timedelta(days=60))
    assert contracts.current_contract(Employee(contracts=[running, later])) is running


def _period(start, end, early=None):
    return Contract(start_date=start, end_date=end, ended_early_on=early)


def test_the_cumulated_days_count_each_day_once():
    jan = _period(date(2025, 1, 1), date(2025, 1, 31))
    assert contracts.cumulated_days([jan]) == 31
    # Next day, overlapping, inside, ended early: the days of the union only.
    feb = _period(date(2025, 2, 1), date(2025, 2, 28))
    overlap = _period(date(2025, 1, 31), date(2025, 2, 2))
    inside = _period(date(2025, 1, 10), date(2025, 1, 12))
    early = _period(date(2025, 3, 1), date(2025, 3, 31), early=date(2025, 3, 10))
    assert contracts.cumulated_days([jan, feb, overlap, inside, early]) == 31 + 28 + 10
    # A one-day contract the day after another's end.
    assert contracts.cumulated_days([jan, _period(date(2025, 2, 1), date(2025, 2, 1))]) == 32
    assert contracts.cumulated_days([]) == 0


def test_the_cumul_says_its_days_months_and_label():
    found = contracts.cumul([_period(date(2025, 1, 1), date(2025, 12, 31))])
    assert (found.days, round(found.months, 2), found.label) == (365, 11.99, "12,0 mois")
    assert (found.over_limit, found.alert) == (False, False)
