"""Every limit of the salarié file's rules, on both sides: the day before, the day of, the day
after; 19,5 h / 20 h; 11, 12 and 13 digits. A refusal is read where the user reads it (the
French message under the field, what was typed kept in the field); an acceptance is read in
the stored row.

The dates are fixed (no "today") unless the rule is about today; the salarié of these tests
has no contract nor PASS of their own, so every period is the one the test writes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Contract, Employee, PassIae, PassStatus, PassSuspension
from siae_app.services.employees import pass_iae
from tests import factories as f
from tests.employees.helpers import file_url, system, url
from tests.site import text_of


def refused(r, field: str, message: str) -> str:
    """422 with ``message`` under ``field`` (in the error paragraph the field points at)."""
    page = text_of(r)
    assert r.status_code == 422, page[:400]
    shown = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert shown, f"no error under {field}: {re.findall(r'class=.error.[^<]*', page)}"
    assert message in shown.group(1)
    return page


def accepted(r) -> None:
    assert r.status_code == 303, text_of(r)[:2000]


@pytest.fixture
def blank(world):
    """A salarié of structure A (an ACI) with no contract and no PASS, arrived 01/12/2026."""
    employee = f.EmployeeFactory(
        structure_id=world.a.structure.id,
        team_id=world.a.team.id,
        last_name="Limite",
        first_name="Lou",
        birth_date=date(1990, 6, 15),
        entry_date=date(2026, 12, 1),
    )
    db.session.commit()
    return employee


@pytest.fixture
def cip(world, client_for):
    return client_for(world.a.member("cip"))


def _contracts(employee) -> list[Contract]:
    system()
    return db.session.scalars(
        select(Contract).where(Contract.employee_id == employee.id).order_by(Contract.start_date)
    ).all()


def new_contract(client, site, employee, start, end, hours="26", **more):
    data = {"start_date": start, "end_date": end, "weekly_hours": hours, **more}
    return client.post(file_url(site, employee, "/contrats/nouveau"), data=data)


def contract_row(employee, start, end, hours="26", **more) -> Contract:
    row = f.ContractFactory(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(hours),
        **more,
    )
    db.session.commit()
    return row


# ------------------------------------------------------------------ weekly hours


def test_aci_minimum_is_20_hours_a_week(world, cip, blank):
    r = new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="19,5")
    page = refused(r, "weekly_hours", "En ACI, un CDDI compte au moins 20 heures par semaine.")
    assert 'value="19,5"' in page and 'value="2027-01-01"' in page
    assert _contracts(blank) == []
    accepted(new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="20"))
    (row,) = _contracts(blank)
    assert row.weekly_hours == Decimal("20") and row.end_date == date(2027, 6, 30)


def test_under_20_hours_is_allowed_outside_an_aci(world, client_for, session):
    world.b.structure.kind = "EI"
    employee = f.EmployeeFactory(structure_id=world.b.structure.id)
    session.commit()
    client = client_for(world.b.member("cip"))
    accepted(new_contract(client, world.b, employee, "2027-01-01", "2027-06-30", hours="19,5"))
    assert [c.weekly_hours for c in _contracts(employee)] == [Decimal("19.5")]


def test_weekly_hours_between_0_and_48(world, cip, blank):
    message = "La durée hebdomadaire doit être comprise entre 1 et 48 heures."
    r = new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="48,5")
    assert 'value="48,5"' in refused(r, "weekly_hours", message)
    r = new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="0")
    refused(r, "weekly_hours", message)
    assert _contracts(blank) == []
    r = new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="")
    refused(r, "weekly_hours", "Ce champ est obligatoire.")
    accepted(new_contract(cip, world.a, blank, "2027-01-01", "2027-06-30", hours="48"))
    assert [c.weekly_hours for c in _contracts(blank)] == [Decimal("48")]


# ------------------------------------------------------------------ contract dates


def test_contract_end_must_follow_its_start(world, cip, blank):
    message = "La date de fin doit être après la date de début."
    refused(new_contract(cip, world.a, blank, "2027-03-01", "2027-02-28"), "end_date", message)
    page = refused(
        new_contract(cip, world.a, blank, "2027-03-01", "2027-03-01"), "end_date", message
    )
    assert 'value="2027-03-01"' in page
    accepted(new_contract(cip, world.a, blank, "2027-03-01", "2027-03-02"))
    (row,) = _contracts(blank)
    assert (row.start_date, row.end_date) == (date(2027, 3, 1), date(2027, 3, 2))


def test_early_end_falls_between_start_and_end(world, cip, blank):
    contract = contract_row(blank, date(2027, 1, 1), date(2027, 6, 30))
    path = file_url(world.a, blank, f"/contrats/{contract.id}/modifier")
    base = {"start_date": "2027-01-01", "end_date": "2027-06-30", "weekly_hours": "26"}
    message = "La fin anticipée doit tomber entre le début et la fin du contrat."
    for day in ("2026-12-31", "2027-07-01"):
        r = cip.post(path, data={**base, "ended_early_on": day})
        assert f'value="{day}"' in refused(r, "ended_early_on", message)
    for day, stored in (("2027-01-01", date(2027, 1, 1)), ("2027-06-30", date(2027, 6, 30))):
        accepted(cip.post(path, data={**base, "ended_early_on": day}))
        system()
        db.session.refresh(contract)
        assert contract.ended_early_on == stored


def test_contracts_may_touch_but_not_overlap(world, cip, blank):
    contract_row(blank, date(2027, 3, 1), date(2027, 6, 30))
    message = "Ces dates chevauchent un autre contrat du salarié (du 01/03/2027 au 30/06/2027)."
    # After: starting on the other's last day overlaps, the day after does not.
    r = new_contract(cip, world.a, blank, "2027-06-30", "2027-09-30")
    refused(r, "start_date", message)
    # Before: ending on the other's first day overlaps, the day before does not.
    r = new_contract(cip, world.a, blank, "2027-01-01", "2027-03-01")
    refused(r, "start_date", message)
    accepted(new_contract(cip, world.a, blank, "2027-07-01", "2027-09-30"))
    accepted(new_contract(cip, world.a, blank, "2027-01-01", "2027-02-28"))
    assert [(c.start_date, c.end_date) for c in _contracts(blank)] == [
        (date(2027, 1, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 9, 30)),
    ]


def test_an_early_end_frees_the_days_after_it(world, cip, blank):
    first = contract_row(
        blank, date(2027, 1, 1), date(2027, 6, 30), ended_early_on=date(2027, 3, 31)
    )
    r = new_contract(cip, world.a, blank, "2027-03-31", "2027-06-30")
    refused(
        r, "start_date", "chevauchent un autre contrat du salarié (du 01/01/2027 au 31/03/2027)"
    )
    accepted(new_contract(cip, world.a, blank, "2027-04-01", "2027-06-30"))
    # The first contract, edited with its early end kept, still ends on 31/03.
    accepted(
        cip.post(
            file_url(world.a, blank, f"/contrats/{first.id}/modifier"),
            data={
                "start_date": "2027-01-01",
                "end_date": "2027-06-30",
                "weekly_hours": "30",
                "ended_early_on": "2027-03-31",
            },
        )
    )
    assert [(c.weekly_hours, c.effective_end) for c in _contracts(blank)] == [
        (Decimal("30"), date(2027, 3, 31)),
        (Decimal("26"), date(2027, 6, 30)),
    ]


# ------------------------------------------------------------------ 24 months cumulated


def test_one_contract_of_731_days_needs_no_derogation_732_does(world, cip, blank):
    # 01/01/2027 → 31/12/2028: 365 + 366 (2028 is a leap year) = 731 days, the limit.
    # One more day (01/01/2029): 732 days, 732 / 30.4375 = 24.05 months → « 24,0 mois ».
    r = new_contract(cip, world.a, blank, "2027-01-01", "2029-01-01")
    page = refused(
        r,
        "derogation_motif",
        "Le cumul des CDDI atteindrait 24,0 mois : au-delà de 24 mois, indiquez le motif de "
        "dérogation.",
    )
    assert 'value="2029-01-01"' in page
    assert _contracts(blank) == []
    accepted(new_contract(cip, world.a, blank, "2027-01-01", "2028-12-31"))
    (row,) = _contracts(blank)
    assert row.end_date == date(2028, 12, 31) and row.derogation_motif is None
    page = text_of(cip.get(file_url(world.a, blank)))
    assert "au-delà de 24 mois (dérogation)" not in page


def test_the_cumul_adds_the_contracts_up_to_the_limit(world, cip, blank):
    # 2027 (365 days) then 2028 (366 days): 731 days together, accepted; one day more is not.
    contract_row(blank, date(2027, 1, 1), date(2027, 12, 31))
    r = new_contract(cip, world.a, blank, "2028-01-01", "2029-01-01")
    refused(r, "derogation_motif", "au-delà de 24 mois, indiquez le motif de dérogation.")
    accepted(
        new_contract(cip, world.a, blank, "2028-01-01", "2029-01-01", derogation_motif="50_ans")
    )
    page = text_of(cip.get(file_url(world.a, blank)))
    assert "Cumul des CDDI : 24,0 mois — au-delà de 24 mois (dérogation)." in page
    assert [c.derogation_motif for c in _contracts(blank)] == [None, "50_ans"]


def test_the_cumul_counts_up_to_the_early_end(world, cip, blank):
    # Ended early on 30/12/2027: 364 days; 364 + 367 (01/01/2028 → 01/01/2029) = 731 days.
    first = contract_row(
        blank, date(2027, 1, 1), date(2027, 12, 31), ended_early_on=date(2027, 12, 30)
    )
    accepted(new_contract(cip, world.a, blank, "2028-01-01", "2029-01-01"))
    # Without the early end the same contracts make 732 days: editing it back is refused.
    r = cip.post(
        file_url(world.a, blank, f"/contrats/{first.id}/modifier"),
        data={"start_date": "2027-01-01", "end_date": "2027-12-31", "weekly_hours": "26"},
    )
    refused(r, "derogation_motif", "au-delà de 24 mois, indiquez le motif de dérogation.")


def test_the_alert_starts_at_670_days(world, cip, blank):
    # 01/01/2027 → 30/10/2028: 365 + 304 = 669 days (21,98 months, shown « 22,0 mois »).
    contract = contract_row(blank, date(2027, 1, 1), date(2028, 10, 30))
    page = text_of(cip.get(file_url(world.a, blank)))
    assert "Cumul des CDDI : <strong>22,0 mois</strong>" in page
    assert "la limite de 24 mois approche" not in page
    # One day more, 670 days: the alert.
    contract.end_date = date(2028, 10, 31)
    db.session.commit()
    page = text_of(cip.get(file_url(world.a, blank)))
    assert "Cumul des CDDI : 22,0 mois — la limite de 24 mois approche." in page


# ------------------------------------------------------------------ PASS IAE


def new_pass(client, site, employee, number, start="2026-01-01", end=""):
    data = {"number": number, "start_date": start, "end_date": end}
    return client.post(file_url(site, employee, "/pass/nouveau"), data=data)


def _passes(employee) -> list[PassIae]:
    system()
    return db.session.scalars(select(PassIae).where(PassIae.employee_id == employee.id)).all()


@pytest.mark.parametrize(
    "number",
    ["99999201234", "9999920123456", "99999201234A", "9999 9201 23456", "0"],
    ids=["11 chiffres", "13 chiffres", "lettre", "13 avec espaces", "1 chiffre"],
)
def test_pass_number_other_than_12_digits_is_refused(world, cip, blank, number):
    page = refused(
        new_pass(cip, world.a, blank, number),
        "number",
        "Le numéro de PASS IAE compte 12 chiffres (exemple : 999992012345).",
    )
    assert f'value="{number}"' in page
    assert _passes(blank) == []


@pytest.mark.parametrize(
    "typed", ["999992012345", "9999 9201 2345", "99999.2012.345", "9999-9201-2345"]
)
def test_pass_number_of_12_digits_is_stored_bare(world, cip, blank, typed):
    accepted(new_pass(cip, world.a, blank, typed))
    assert [p.number for p in _passes(blank)] == ["999992012345"]


def test_pass_end_must_follow_its_start(world, cip, blank):
    message = "La date de fin doit être après la date de début."
    for end in ("2025-12-31", "2026-01-01"):
        refused(new_pass(cip, world.a, blank, "999992012345", end=end), "end_date", message)
    accepted(new_pass(cip, world.a, blank, "999992012345", end="2026-01-02"))
    assert [p.end_date for p in _passes(blank)] == [date(2026, 1, 2)]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-03-01", date(2028, 2, 29)),  # the leap day is the last day
        ("2027-03-01", date(2029, 2, 28)),
        ("2026-01-01", date(2027, 12, 31)),
        ("2026-08-31", date(2028, 8, 30)),
    ],
)
def test_pass_without_end_lasts_24_months(world, cip, blank, start, end):
    accepted(new_pass(cip, world.a, blank, "999992012345", start=start))
    assert [p.end_date for p in _passes(blank)] == [end]


@pytest.fixture
def pass_2026(blank):
    """A PASS from 01/01/2026 to 31/12/2027."""
    row = f.PassIaeFactory(
        structure_id=blank.structure_id,
        employee_id=blank.id,
        number="999992012345",
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
    )
    db.session.commit()
    return row


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The suspensions below start in 2026: at most 365 days before this day."""
    monkeypatch.setattr(pass_iae, "_today", lambda: date(2026, 6, 1))


def new_suspension(client, site, employee, pass_row, start, end, motif="contrat_suspendu"):
    return client.post(
        file_url(site, employee, f"/pass/{pass_row.id}/suspensions/nouvelle"),
        data={"motif": motif, "start_date": start, "end_date": end},
    )


def _suspensions(pass_row) -> list[tuple[date, date]]:
    system()
    rows = db.session.scalars(
        select(PassSuspension)
        .where(PassSuspension.pass_id == pass_row.id)
        .order_by(PassSuspension.start_date)
    ).all()
    return [(s.start_date, s.end_date) for s in rows]


def test_suspension_of_one_day_pushes_the_end_by_one_day(world, cip, blank, pass_2026):
    r = new_suspension(cip, world.a, blank, pass_2026, "2026-05-11", "2026-05-10")
    refused(r, "end_date", "La date de fin doit être après la date de début.")
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2026-05-10", "2026-05-10"))
    assert _suspensions(pass_2026) == [(date(2026, 5, 10), date(2026, 5, 10))]
    db.session.refresh(pass_2026)
    assert pass_iae.effective_end(pass_2026) == date(2028, 1, 1)


def test_suspension_starts_within_the_pass(world, cip, blank, pass_2026):
    message = (
        "La suspension doit commencer pendant la validité du PASS (du 01/01/2026 au 31/12/2027)."
    )
    r = new_suspension(cip, world.a, blank, pass_2026, "2025-12-31", "2026-01-05")
    assert 'value="2025-12-31"' in refused(r, "start_date", message)
    r = new_suspension(cip, world.a, blank, pass_2026, "2028-01-01", "2028-01-05")
    refused(r, "start_date", message)
    assert _suspensions(pass_2026) == []
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2026-01-01", "2026-01-05"))
    # The first suspension pushed the end to 05/01/2028: its last day is still within.
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2028-01-05", "2028-01-06"))
    assert _suspensions(pass_2026) == [
        (date(2026, 1, 1), date(2026, 1, 5)),
        (date(2028, 1, 5), date(2028, 1, 6)),
    ]


def test_suspensions_may_touch_but_not_overlap(world, cip, blank, pass_2026):
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2026-03-01", "2026-03-10"))
    message = "Une suspension couvre déjà la période du 01/03/2026 au 10/03/2026."
    refused(
        new_suspension(cip, world.a, blank, pass_2026, "2026-03-10", "2026-03-12"),
        "start_date",
        message,
    )
    refused(
        new_suspension(cip, world.a, blank, pass_2026, "2026-02-20", "2026-03-01"),
        "start_date",
        message,
    )
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2026-03-11", "2026-03-12"))
    accepted(new_suspension(cip, world.a, blank, pass_2026, "2026-02-20", "2026-02-28"))
    assert len(_suspensions(pass_2026)) == 3


def new_extension(client, site, employee, pass_row, months, motif="fin_formation"):
    return client.post(
        file_url(site, employee, f"/pass/{pass_row.id}/prolongations/nouvelle"),
        data={
            "motif": motif,
            "months": months,
            "decided_on": "2028-01-15",
            "training_end": "2029-12-31",
        },
    )


def test_extension_lasts_1_to_12_months(world, cip, blank, pass_2026):
    r = new_extension(cip, world.a, blank, pass_2026, "13")
    assert 'value="13"' in refused(r, "months", "Une prolongation dure de 1 à 12 mois.")
    r = new_extension(cip, world.a, blank, pass_2026, "1,5")
    refused(r, "months", "Nombre entier attendu.")
    accepted(new_extension(cip, world.a, blank, pass_2026, "12"))
    accepted(new_extension(cip, world.a, blank, pass_2026, "1"))
    system()
    db.session.refresh(pass_2026)
    assert sorted(e.months for e in pass_2026.extensions) == [1, 12]
    # 31/12/2027 + 12 months = 31/12/2028, + 1 month = 31/01/2029.
    assert pass_iae.effective_end(pass_2026) == date(2029, 1, 31)


def test_extension_of_zero_months_is_refused_with_the_range(world, cip, blank, pass_2026):
    # A typed 0 is not a missing value: the refusal says the allowed range.
    r = new_extension(cip, world.a, blank, pass_2026, "0")
    assert 'value="0"' in refused(r, "months", "Une prolongation dure de 1 à 12 mois.")
    system()
    db.session.refresh(pass_2026)
    assert pass_2026.extensions == []


def test_pass_status_at_its_limits():
    end = date(2027, 12, 31)
    suspension = [(date(2026, 3, 1), date(2026, 3, 10))]
    assert pass_iae.status_from(end, suspension, date(2026, 2, 28)) == PassStatus.VALID
    assert pass_iae.status_from(end, suspension, date(2026, 3, 1)) == PassStatus.SUSPENDED
    assert pass_iae.status_from(end, suspension, date(2026, 3, 10)) == PassStatus.SUSPENDED
    assert pass_iae.status_from(end, suspension, date(2026, 3, 11)) == PassStatus.VALID
    assert pass_iae.status_from(end, suspension, date(2027, 12, 31)) == PassStatus.VALID
    assert pass_iae.status_from(end, suspension, date(2028, 1, 1)) == PassStatus.EXPIRED
    # A suspension of 10 days (01/03 → 10/03) pushes the end by 10 days.
    assert pass_iae.end_from(end, suspension, []) == date(2028, 1, 10)


def test_pass_ending_today_is_valid_yesterday_expired(world, cip, blank):
    today = date.today()
    row = f.PassIaeFactory(
        structure_id=blank.structure_id,
        employee_id=blank.id,
        start_date=today - timedelta(days=700),
        end_date=today,
    )
    db.session.commit()
    page = text_of(cip.get(file_url(world.a, blank)))
    assert f'N° {row.number}</strong> <span class="badge badge-valide">Valide' in page
    row.end_date = today - timedelta(days=1)
    db.session.commit()
    page = text_of(cip.get(file_url(world.a, blank)))
    assert f'N° {row.number}</strong> <span class="badge badge-expire">Expiré' in page


def test_pass_end_alert_from_56_days(world, cip, blank):
    today = date.today()
    row = f.PassIaeFactory(
        structure_id=blank.structure_id,
        employee_id=blank.id,
        start_date=today - timedelta(days=600),
        end_date=today + timedelta(days=57),
    )
    db.session.commit()
    assert "Le PASS IAE se termine le" not in text_of(cip.get(file_url(world.a, blank)))
    row.end_date = today + timedelta(days=56)
    db.session.commit()
    page = text_of(cip.get(file_url(world.a, blank)))
    assert f"Le PASS IAE se termine le {row.end_date:%d/%m/%Y}." in page


# ------------------------------------------------------------------ sortie


def exit_data(employee, day, **more):
    system()
    db.session.refresh(employee)
    return {
        "version_id": str(employee.version_id),
        "exit_date": day,
        "exit_kind": "emploi_durable",
        "exit_reason": "cdi",
        **more,
    }


def test_exit_not_before_the_entry_date(world, cip, blank):
    path = file_url(world.a, blank, "/sortie")
    r = cip.post(path, data=exit_data(blank, "2026-11-30"))
    page = refused(r, "exit_date", "La date de sortie ne peut pas précéder la date d'entrée.")
    assert 'value="2026-11-30"' in page
    accepted(cip.post(path, data=exit_data(blank, "2026-12-01")))
    system()
    db.session.refresh(blank)
    assert blank.exit_date == date(2026, 12, 1) and blank.exit_reason == "cdi"


@pytest.mark.parametrize(
    ("exit_day", "early"),
    [
        ("2027-06-30", None),  # the contract's last day: it ends as planned
        ("2027-06-29", date(2027, 6, 29)),  # the day before: rupture anticipée
        ("2027-01-01", date(2027, 1, 1)),  # its first day
        ("2026-12-31", None),  # before the contract: nothing to end
    ],
)
def test_exit_ends_the_contract_early_only_before_its_end(world, cip, blank, exit_day, early):
    contract = contract_row(blank, date(2027, 1, 1), date(2027, 6, 30))
    accepted(cip.post(file_url(world.a, blank, "/sortie"), data=exit_data(blank, exit_day)))
    system()
    db.session.refresh(contract)
    assert contract.ended_early_on == early


def test_out_from_the_exit_day(world, cip, session):
    today = date.today()
    out = f.EmployeeFactory(structure_id=world.a.structure.id, last_name="Sortieaujourdhui")
    out.exit_date, out.exit_kind, out.exit_reason = today, "emploi_durable", "cdi"
    staying = f.EmployeeFactory(structure_id=world.a.structure.id, last_name="Sortiedemain")
    staying.exit_date = today + timedelta(days=1)
    staying.exit_kind, staying.exit_reason = "emploi_durable", "cdi"
    session.commit()
    current = text_of(cip.get(url(world.a, "/")))
    gone = text_of(cip.get(url(world.a, "/?statut=sorti")))
    assert "SORTIEDEMAIN" in current and "SORTIEAUJOURDHUI" not in current
    assert "SORTIEAUJOURDHUI" in gone and "SORTIEDEMAIN" not in gone


# ------------------------------------------------------------------ identity


def identity_data(employee, **changes):
    system()
    db.session.refresh(employee)
    data = {
        "version_id": str(employee.version_id),
        "last_name": employee.last_name,
        "first_name": employee.first_name,
        "birth_date": employee.birth_date.isoformat() if employee.birth_date else "",
        "team_id": str(employee.team_id or ""),
        "referent_id": "",
        "entry_date": employee.entry_date.isoformat() if employee.entry_date else "",
    }
    data.update(changes)
    return data


def _stored(employee) -> Employee:
    system()
    db.session.refresh(employee)
    return employee


def test_birth_date_must_be_past(world, cip, blank):
    path = file_url(world.a, blank, "/identite")
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    r = cip.post(path, data=identity_data(blank, birth_date=today.isoformat(), entry_date=""))
    page = refused(r, "birth_date", "La date de naissance doit être passée.")
    assert f'value="{today.isoformat()}"' in page
    accepted(
        cip.post(path, data=identity_data(blank, birth_date=yesterday.isoformat(), entry_date=""))
    )
    assert _stored(blank).birth_date == yesterday


def test_birth_date_from_1900(world, cip, blank):
    path = file_url(world.a, blank, "/identite")
    r = cip.post(path, data=identity_data(blank, birth_date="31/12/1899"))
    page = refused(r, "birth_date", "Cette date de naissance n'est pas plausible.")
    assert 'value="31/12/1899"' in page
    accepted(cip.post(path, data=identity_data(blank, birth_date="01/01/1900")))
    assert _stored(blank).birth_date == date(1900, 1, 1)


def test_entry_date_after_the_birth_date(world, cip, blank):
    path = file_url(world.a, blank, "/identite")
    message = "La date d'entrée doit être postérieure à la date de naissance."
    for entry in ("1990-06-14", "1990-06-15"):
        r = cip.post(path, data=identity_data(blank, entry_date=entry))
        assert f'value="{entry}"' in refused(r, "entry_date", message)
    accepted(cip.post(path, data=identity_data(blank, entry_date="1990-06-16")))
    assert _stored(blank).entry_date == date(1990, 6, 16)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("29/02/2028", date(2028, 2, 29)),
        ("01.03.2027", date(2027, 3, 1)),
        ("01-03-2027", date(2027, 3, 1)),
        (" 2027-03-01 ", date(2027, 3, 1)),
    ],
)
def test_dates_typed_the_french_ways(world, cip, blank, typed, stored):
    path = file_url(world.a, blank, "/identite")
    accepted(cip.post(path, data=identity_data(blank, entry_date=typed)))
    assert _stored(blank).entry_date == stored


@pytest.mark.parametrize("typed", ["29/02/2027", "31/04/2027", "2027-13-01", "1/3/27x"])
def test_impossible_dates_are_refused(world, cip, blank, typed):
    path = file_url(world.a, blank, "/identite")
    r = cip.post(path, data=identity_data(blank, entry_date=typed))
    page = refused(r, "entry_date", "Date illisible : utilisez le format JJ/MM/AAAA.")
    assert f'value="{typed}"' in page
    assert _stored(blank).entry_date == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("last_name", 120),
        ("usage_name", 120),
        ("first_name", 120),
        ("phone", 30),
        ("address", 300),
        ("prescriber_org", 200),
        ("prescriber_contact", 200),
    ],
)
def test_identity_text_lengths(world, cip, blank, field, limit):
    path = file_url(world.a, blank, "/identite")
    r = cip.post(path, data=identity_data(blank, **{field: "x" * (limit + 1)}))
    refused(r, field, f"{limit} caractères au maximum.")
    accepted(cip.post(path, data=identity_data(blank, **{field: "x" * limit})))
    assert getattr(_stored(blank), field) == "x" * limit
