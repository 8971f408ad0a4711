"""The sortie on time and the handover of its documents: the rules (pure) on both sides of each
limit, and the loading of the salariés concerned (bounded queries)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from siae_app.models import Contract, Employee, ExitHandoverItem
from siae_app.services.alerts import AMBER, RED, Inputs, compute, load_inputs
from tests import factories as f
from tests.querycount import count_queries

TODAY = date(2026, 3, 10)


def _inputs(end: date | None = None, exit_date: date | None = None, **fields) -> Inputs:
    employee = Employee(last_name="Test", first_name="Alex", exit_date=exit_date)
    contracts = []
    if end is not None:
        contracts = [Contract(start_date=date(2025, 6, 1), end_date=end, weekly_hours=Decimal(26))]
    fields.setdefault("next_appointment", TODAY + timedelta(days=5))
    fields.setdefault("diagnosed", True)
    return Inputs(employee=employee, contracts=contracts, **fields)


def _exit_alert(data: Inputs):
    return next((a for a in compute(data, TODAY) if a.kind == "sortie"), None)


@pytest.mark.parametrize(
    ("days_after_end", "colour"),
    [(14, None), (15, AMBER), (24, AMBER), (25, RED), (60, RED)],
)
def test_an_ended_contract_without_sortie_alerts_from_d15_and_is_red_from_d25(
    days_after_end, colour
):
    end = TODAY - timedelta(days=days_after_end)
    alert = _exit_alert(_inputs(end=end))
    assert (alert.colour if alert else None) == colour
    if colour == AMBER:
        assert alert.message == f"Sortie à enregistrer : contrat terminé le {end:%d/%m/%Y}"
    if colour == RED:
        due = date(end.year, end.month + 1, end.day)  # end + 1 month (no month-end here)
        assert alert.message == (
            f"Sortie à enregistrer avant le {due:%d/%m/%Y} : "
            "les financeurs refusent une saisie tardive"
        )


def test_the_red_date_is_the_contracts_end_plus_one_month():
    alert = _exit_alert(_inputs(end=date(2026, 2, 1)))  # D+37
    assert alert.colour == RED and "avant le 01/03/2026" in alert.message


def test_no_sortie_alert_once_the_sortie_is_recorded_or_a_new_contract_follows():
    end = TODAY - timedelta(days=30)
    assert _exit_alert(_inputs(end=end, exit_date=end)) is None
    following = _inputs(end=end)
    following.contracts.append(
        Contract(start_date=end + timedelta(days=3), end_date=TODAY + timedelta(days=150))
    )
    assert _exit_alert(following) is None
    later = _inputs(end=end)  # a new contract that starts next week
    later.contracts.append(
        Contract(start_date=TODAY + timedelta(days=7), end_date=TODAY + timedelta(days=180))
    )
    assert _exit_alert(later) is None
    assert _exit_alert(_inputs()) is None  # no contract at all: nothing ended


def _handover(exit_days_ago: int, ticked: int) -> list:
    exit_date = TODAY - timedelta(days=exit_days_ago)
    data = _inputs(end=exit_date, exit_date=exit_date, handover_dates=[exit_date] * ticked)
    return compute(data, TODAY)


@pytest.mark.parametrize(
    ("exit_days_ago", "ticked", "expected"),
    [
        (14, 2, None),
        (15, 2, "Remise des documents de sortie incomplète : 2 sur 6"),
        (40, 0, "Remise des documents de sortie incomplète : 0 sur 6"),
        (40, 5, "Remise des documents de sortie incomplète : 5 sur 6"),
        (40, 6, None),
    ],
)
def test_handover_incomplete_15_days_after_the_sortie(exit_days_ago, ticked, expected):
    alerts = _handover(exit_days_ago, ticked)
    messages = [a.message for a in alerts if a.kind == "remise_sortie"]
    assert messages == ([expected] if expected else [])
    if expected:
        assert [a.colour for a in alerts] == [AMBER]
    # once left, only the handover concerns the salarié (no rendez-vous, contract, PASS…)
    assert {a.kind for a in alerts} <= {"remise_sortie"}


def test_a_tick_older_than_30_days_before_the_sortie_belongs_to_an_earlier_one():
    exit_date = TODAY - timedelta(days=20)
    dates = [exit_date - timedelta(days=31)] + [exit_date - timedelta(days=30)] * 5
    data = _inputs(end=exit_date, exit_date=exit_date, handover_dates=dates)
    [alert] = compute(data, TODAY)
    assert alert.message == "Remise des documents de sortie incomplète : 5 sur 6"


# ------------------------------------------------------------------ loading


def test_ended_without_sortie_and_recently_exited_are_loaded_in_bounded_queries(world, session):
    site = world.a
    cip = site.member("cip")
    today = date.today()

    def make(name: str, end_days_ago: int, exit_days_ago: int | None = None, ticked: int = 0):
        employee = f.make_employee(site.structure.id, site.team, cip, last_name=name)
        contract = employee.contracts[0] if employee.contracts else None
        contract = contract or session.get(Employee, employee.id).contracts[0]
        contract.start_date = today - timedelta(days=200)
        contract.end_date = today - timedelta(days=end_days_ago)
        if exit_days_ago is not None:
            employee.exit_date = today - timedelta(days=exit_days_ago)
            employee.exit_kind, employee.exit_reason = "emploi_transition", "cdd_moins_6m"
        for key in ["certificat_travail", "solde_tout_compte"][:ticked]:
            session.add(
                ExitHandoverItem(
                    structure_id=site.structure.id,
                    employee_id=employee.id,
                    item=key,
                    done_on=employee.exit_date,
                )
            )
        session.flush()
        return employee

    ended = make("Finie", 26)
    exited = make("Partie", 20, exit_days_ago=20, ticked=2)
    long_gone = make("Ancienne", 200, exit_days_ago=200)
    session.commit()

    def by_name(inputs):
        return {d.employee.last_name: compute(d, today) for d in inputs}

    with count_queries() as first:
        found = by_name(load_inputs(session, cip, today))
    assert [a.colour for a in found["Finie"] if a.kind == "sortie"] == [RED]
    assert [a.message for a in found["Partie"]] == [
        "Remise des documents de sortie incomplète : 2 sur 6"
    ]
    # Left long ago: the documents are no longer reminded, only the situation six months after.
    assert [a.kind for a in found["Ancienne"]] == ["situation_6_mois"]
    assert ended and exited and long_gone
    for n in range(3):
        make(f"Autre{n}", 30, exit_days_ago=18, ticked=1)
    session.commit()
    with count_queries() as second:
        found = by_name(load_inputs(session, cip, today))
    assert sum(1 for name in found if name.startswith("Autre")) == 3
    assert second.count == first.count, (first.count, second.count)
