"""Alert colours computed from dates, against hand-computed expectations (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from siae_app.models import (
    Contract,
    Employee,
    PassExtension,
    PassIae,
    PassSuspension,
    ReviewStatus,
)
from siae_app.services.alerts import (
    AMBER,
    GREY,
    RED,
    Inputs,
    absence_alert,
    compute,
    lines,
    tally,
    with_absence,
)

TODAY = date(2026, 3, 10)


def _inputs(**fields) -> Inputs:
    employee = Employee(last_name="Test", first_name="Alex", entry_date=fields.pop("entry", None))
    fields.setdefault("next_appointment", TODAY + timedelta(days=5))
    fields.setdefault("diagnosed", True)
    return Inputs(employee=employee, **fields)


def _pass(end: date, months: int = 0, suspended_days: int = 0) -> PassIae:
    p = PassIae(number="999990000001", start_date=end - timedelta(days=730), end_date=end)
    if months:
        p.extensions = [PassExtension(motif="fin_formation", months=months, decided_on=TODAY)]
    if suspended_days:
        start = date(2025, 1, 1)
        p.suspensions = [
            PassSuspension(
                motif="maladie",
                start_date=start,
                end_date=start + timedelta(days=suspended_days - 1),
            )
        ]
    return p


def _contract(start: date, end: date) -> Contract:
    return Contract(start_date=start, end_date=end, weekly_hours=Decimal(26))


def _kinds(data: Inputs) -> dict[str, str]:
    return {a.kind: a.colour for a in compute(data, TODAY)}


@pytest.mark.parametrize(
    ("end", "months", "suspended", "expected"),
    [
        (date(2026, 4, 5), 0, 0, RED),  # 26 days: less than a month
        (date(2026, 4, 10), 0, 0, RED),  # exactly one month
        (date(2026, 5, 20), 0, 0, RED),  # less than 3 months
        (date(2026, 6, 25), 0, 0, GREY),  # between 3 and 4 months: coming
        (date(2026, 8, 1), 0, 0, None),
        (date(2026, 4, 1), 6, 0, None),  # prolonged to 1 October
        (date(2026, 2, 28), 0, 60, RED),  # suspended 60 days: ends 29 April
        (date(2026, 3, 1), 0, 0, RED),  # expired
    ],
)
def test_pass_iae(end, months, suspended, expected):
    kinds = _kinds(_inputs(passes=[_pass(end, months, suspended)]))
    assert kinds.get("pass") == expected


def test_pass_message_names_the_date():
    alerts = compute(_inputs(passes=[_pass(date(2026, 4, 5))]), TODAY)
    assert alerts[0].message == "PASS IAE se termine le 05/04/2026 (moins d'un mois)"


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (TODAY + timedelta(days=10), RED),
        (TODAY + timedelta(weeks=6), RED),
        (TODAY + timedelta(weeks=6, days=1), GREY),
        (TODAY + timedelta(weeks=8), GREY),
        (TODAY + timedelta(weeks=8, days=1), None),
    ],
)
def test_contract_ending(end, expected):
    kinds = _kinds(_inputs(contracts=[_contract(TODAY - timedelta(days=100), end)]))
    assert kinds.get("contrat") == expected


def test_a_renewal_replaces_the_ending_contract():
    contracts = [
        _contract(date(2025, 9, 1), TODAY + timedelta(days=10)),
        _contract(TODAY + timedelta(days=11), TODAY + timedelta(days=200)),
    ]
    assert "contrat" not in _kinds(_inputs(contracts=contracts))


@pytest.mark.parametrize(
    ("days", "expected"),
    [(730, RED), (670, RED), (610, GREY), (600, None)],  # 22 months = 669.6 days
)
def test_cumulated_cddi(days, expected):
    start = date(2024, 6, 1)
    contracts = [_contract(start, start + timedelta(days=days - 1))]
    assert _kinds(_inputs(contracts=contracts)).get("cumul_cddi") == expected


@pytest.mark.parametrize(
    ("days_since_entry", "diagnosed", "expected"),
    [
        (30, False, RED),
        (45, False, RED),
        (29, False, GREY),
        (20, False, GREY),
        (19, False, None),
        (60, True, None),
    ],
)
def test_diagnostic_not_done(days_since_entry, diagnosed, expected):
    data = _inputs(entry=TODAY - timedelta(days=days_since_entry), diagnosed=diagnosed)
    assert _kinds(data).get("diagnostic") == expected


def test_follow_up_alerts_are_amber_and_coming_ones_grey():
    data = _inputs(
        onboarding_due=[("EPI remis", TODAY - timedelta(days=1)), ("Mutuelle", TODAY)],
        action_dues=[TODAY - timedelta(days=2), TODAY + timedelta(days=3)],
        next_appointment=None,
    )
    assert _kinds(data) == {"accueil": AMBER, "actions": AMBER, "rendez_vous": AMBER}
    soon = _inputs(
        onboarding_due=[("Mutuelle", TODAY + timedelta(days=7))],
        action_dues=[TODAY + timedelta(days=3)],
    )
    assert _kinds(soon) == {"accueil": GREY, "actions": GREY}


def test_snoozed_kinds_are_hidden_and_lines_sorted_worst_first():
    red = _inputs(passes=[_pass(date(2026, 4, 5))], next_appointment=None)
    amber = _inputs(next_appointment=None)
    amber.employee.last_name = "Avant"
    quiet = _inputs()
    result = lines([amber, quiet, red], TODAY)
    assert [line.colour for line in result] == [RED, AMBER]
    red.snoozed = {"pass"}
    assert [a.kind for a in compute(red, TODAY)] == ["rendez_vous"]


def test_three_unjustified_absences_in_a_row_are_an_amber_alert():
    assert [a.kind for a in compute(_inputs(unjustified_streak=2), TODAY)] == []
    alerts = compute(_inputs(unjustified_streak=3), TODAY)
    assert [(a.kind, a.colour) for a in alerts] == [("absences", AMBER)]
    assert alerts[0].message == "3 absences injustifiées consécutives"


def test_action_counts_read_in_french_without_parentheses():
    one = compute(_inputs(action_dues=[TODAY - timedelta(days=2)]), TODAY)
    assert [a.message for a in one] == ["1 action en retard"]
    two = compute(
        _inputs(action_dues=[TODAY - timedelta(days=2), TODAY - timedelta(days=9)]), TODAY
    )
    assert [(a.message, a.count) for a in two] == [("2 actions en retard", 2)]
    soon = compute(_inputs(action_dues=[TODAY + timedelta(days=1)] * 3), TODAY)
    assert [a.message for a in soon] == ["3 actions à échéance cette semaine"]


def _parcours_without_integration(status) -> Inputs:
    """Entered 1 September 2025 on a one-year CDDI: intégration due 1 October 2025 (never
    opened), intermédiaire due 2 March 2026 opened with ``status``."""
    contracts = [_contract(date(2025, 9, 1), date(2026, 8, 31))]
    return _inputs(
        entry=date(2025, 9, 1),
        contracts=contracts,
        reviews=[("intermediate", date(2026, 3, 2), status)],
    )


def test_a_bilan_replaced_by_a_later_validated_one_is_not_an_alert():
    held = compute(_parcours_without_integration(ReviewStatus.HELD), TODAY)
    assert [a.message for a in held if a.kind == "bilan"] == [
        "Bilan en retard : bilan d'intégration (prévu le 01/10/2025)"
    ]
    validated = compute(_parcours_without_integration(ReviewStatus.VALIDATED), TODAY)
    assert [a for a in validated if a.kind == "bilan"] == []


def test_tally_adds_up_each_topic_by_colour_worst_first():
    late_actions = _inputs(
        action_dues=[TODAY - timedelta(days=1)] * 2, passes=[_pass(date(2026, 4, 5))]
    )
    one_late = _inputs(action_dues=[TODAY - timedelta(days=3)], next_appointment=None)
    coming = _inputs(action_dues=[TODAY + timedelta(days=2)])
    result = tally(lines([late_actions, one_late, coming], TODAY))
    assert [(colour, [(t.count, t.one, t.many) for t in items]) for colour, items in result] == [
        (RED, [(1, "PASS IAE à prolonger", "PASS IAE à prolonger")]),
        (
            AMBER,
            [
                (3, "action en retard", "actions en retard"),
                (1, "rendez-vous à fixer", "rendez-vous à fixer"),
            ],
        ),
        (GREY, [(1, "action à échéance cette semaine", "actions à échéance cette semaine")]),
    ]


def test_a_line_puts_its_most_urgent_alert_first():
    data = _inputs(
        action_dues=[TODAY - timedelta(days=1)],
        passes=[_pass(date(2026, 4, 5))],
        next_appointment=None,
    )
    (line,) = lines([data], TODAY)
    assert line.first.kind == "pass" and line.colour == RED
    assert [a.kind for a in line.others] == ["actions", "rendez_vous"]


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(0, AMBER), (20, AMBER), (21, RED), (30, RED)],
)
def test_a_request_from_the_salaries_space_waits_a_month_at_most(days_ago, expected):
    sent = TODAY - timedelta(days=days_ago)
    alerts = compute(_inputs(space_requests=[sent, TODAY]), TODAY)
    found = [a for a in alerts if a.kind == "demande_espace"]
    assert [(a.colour, a.count) for a in found] == [(expected, 2)]
    assert found[0].message.startswith(
        f"Demande sur ses données envoyée depuis son espace le {sent:%d/%m/%Y}"
    )
    assert "(et 1 autre)" in found[0].message
    assert not [a for a in compute(_inputs(), TODAY) if a.kind == "demande_espace"]


def _beside_absences() -> list[dict]:
    """Salariés whose other alerts come before, beside and after the absences' one in
    ``compute``'s order: red, amber of a rule before it, amber of a rule after it, grey."""
    late = [TODAY - timedelta(days=2)]
    return [
        {},
        {"next_appointment": None},
        {"action_dues": late, "onboarding_due": [("EPI remis", TODAY - timedelta(days=1))]},
        {"passes": [_pass(date(2026, 4, 5))]},
        {"space_requests": [TODAY - timedelta(days=10)]},
        {"action_dues": [TODAY + timedelta(days=2)]},
        {
            "passes": [_pass(date(2026, 4, 5))],
            "next_appointment": None,
            "space_requests": [TODAY - timedelta(days=10)],
            "action_dues": late,
        },
    ]


@pytest.mark.parametrize("streak", [3, 7])
@pytest.mark.parametrize("fields", _beside_absences())
def test_the_absences_read_apart_go_where_compute_puts_them(fields, streak):
    """The alerts page reads the absences at each request (alert_lines): added to the
    salarié's other alerts, they give what the rules give."""
    whole = compute(_inputs(unjustified_streak=streak, **fields), TODAY)
    apart = with_absence(compute(_inputs(**fields), TODAY), absence_alert(streak))
    assert apart == whole and "absences" in [a.kind for a in whole]
    parcours = _parcours_without_integration(ReviewStatus.HELD)  # a late bilan: amber, after
    whole = compute(_inputs_like(parcours, unjustified_streak=streak, **fields), TODAY)
    apart = compute(_inputs_like(parcours, **fields), TODAY)
    assert with_absence(apart, absence_alert(streak)) == whole


def _inputs_like(data: Inputs, **fields) -> Inputs:
    found = {k: getattr(data, k) for k in ("employee", "contracts", "reviews")}
    return Inputs(**{**found, "diagnosed": True, "next_appointment": TODAY, **fields})
