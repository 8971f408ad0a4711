"""The year's figures of the small structure of ``small_structure.py``, computed by hand."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, Immersion, PaidHours
from siae_app.services.employees.exits import record_return
from siae_app.services.funding import dashboard, exits, followup, indicators, paid_hours
from siae_app.services.funding.calendar import weekdays, year_share
from tests.factories.actions import ActionFactory
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import ContractFactory
from tests.factories.partners import PartnerFactory
from tests.funding.small_structure import _person, build_small


@pytest.fixture
def small(session):
    built = build_small(session)
    tenancy.activate(session, built.structure.id)
    return built


def test_weekdays_count_monday_to_friday_at_both_ends():
    assert weekdays(date(2025, 3, 1), date(2025, 3, 31)) == 21  # starts on a Saturday
    assert weekdays(date(2025, 3, 17), date(2025, 3, 31)) == 11
    assert weekdays(date(2025, 1, 1), date(2025, 1, 31)) == 23
    assert weekdays(date(2025, 6, 1), date(2025, 6, 20)) == 15  # starts on a Sunday
    assert weekdays(date(2025, 3, 15), date(2025, 3, 16)) == 0  # a weekend
    assert weekdays(date(2025, 3, 17), date(2025, 3, 17)) == 1
    assert weekdays(date(2025, 3, 18), date(2025, 3, 17)) == 0


def test_year_share_is_one_for_a_calendar_year_and_shared_across_two():
    assert year_share(date(2025, 1, 1), date(2025, 12, 31)) == 1
    assert year_share(date(2024, 1, 1), date(2024, 12, 31)) == 1  # leap year
    # 184 days of 2025 and 181 of 2026, each over 365.
    assert year_share(date(2025, 7, 1), date(2026, 6, 30)) == 1


def test_default_paid_hours_of_whole_partial_and_last_months(small):
    bruno, chloe, farid = (small.people[n].contracts[0] for n in ("bruno", "chloe", "farid"))
    alice = small.people["alice"].contracts[0]
    assert paid_hours.default_hours(alice, date(2025, 1, 1)) == Decimal("151.67")  # 35×52/12
    assert paid_hours.default_hours(bruno, date(2025, 4, 1)) == Decimal("112.67")  # 26×52/12
    # Entry on Monday 17 March: 11 of March's 21 weekdays → 112.666… × 11/21 = 59.0158…
    assert paid_hours.default_hours(bruno, date(2025, 3, 1)) == Decimal("59.02")
    # 24 h: 104 h a month; May 5–31: 20 of 22 weekdays → 94.5454…
    assert paid_hours.default_hours(chloe, date(2025, 5, 1)) == Decimal("94.55")
    # Sortie on Friday 20 June, the last day paid: 15 of June's 21 weekdays → 74.2857…
    assert paid_hours.default_hours(chloe, date(2025, 6, 1)) == Decimal("74.29")
    assert paid_hours.default_hours(chloe, date(2025, 7, 1)) == 0  # ended early
    # Sortie on Friday 28 November: every weekday of November → the whole month.
    assert paid_hours.default_hours(farid, date(2025, 11, 1)) == Decimal("86.67")
    # Contract ending on the month's last day (31 January) pays the whole month.
    david = small.people["david"].contracts[0]
    assert paid_hours.default_hours(david, date(2025, 1, 1)) == Decimal("151.67")
    assert paid_hours.default_hours(david, date(2025, 2, 1)) == 0


def test_year_2025_by_hand(small, session):
    figures = indicators.annual(session, small.structure, 2025)
    # Present some day of 2025: all seven (Alice until June, David until 31 January).
    assert figures["people_served"] == 7
    # Parcours begun in 2025: Bruno, Chloé, Emma, Farid, Gaëlle.
    assert figures["entries"] == 5
    # Chloé left after 46 days (< 3 months): not counted; the other structure's never.
    assert figures["exits"] == {
        "durable": 1,
        "transition": 0,
        "positive": 1,
        "other": 1,
        "not_counted": 1,
    }
    assert figures["exits_counted"] == 3
    assert figures["dynamic_exit_rate"] == 0.6667  # 2 / 3
    assert figures["durable_exit_rate"] == 0.3333  # 1 / 3
    # Alice 6 × 151.67 = 910.02; Bruno 59.02 + 8 × 112.67 + 100 = 1060.38;
    # Chloé 94.55 + 74.29 = 168.84; David 151.67; Emma 4 × 130 = 520;
    # Farid 75.36 (20/23 of 86.67) + 10 × 86.67 = 942.06; Gaëlle 112.67.
    assert figures["hours_paid"] == 3865.64
    assert figures["etp_consumed"] == 2.12  # 3865.64 / 1820 = 2.1239…
    # ACI 2.00 for the whole year + EI 1.00 × 184/365 = 2.5041…
    assert figures["etp_conventioned"] == 2.50
    assert json.loads(json.dumps(figures)) == figures  # JSON as it is


def test_annex_consumption_to_date_and_forecast(small, session):
    aci = indicators.annex_figures(session, small.structure, small.aci, date(2025, 6, 15))
    # January to June: Alice 910.02, Bruno 59.02 + 3 × 112.67, Chloé 168.84, David 151.67,
    # Farid 75.36 + 5 × 86.67 → 2136.27 h of a 2 × 1820 = 3640 h budget.
    assert aci.hours_to_date == Decimal("2136.27")
    assert aci.etp_consumed == Decimal("1.17")  # 2136.27 × 2 / 3640 = 1.1737…
    # The whole year as recorded, without Emma (EI) and Gaëlle (AI, no AI annex):
    # 3865.64 − 520 − 112.67 = 3232.97.
    assert aci.hours_forecast == Decimal("3232.97")
    assert aci.etp_forecast == Decimal("1.78")
    ei = indicators.annex_figures(session, small.structure, small.ei, date(2025, 12, 31))
    assert ei.hours_to_date == Decimal("520.00")  # Emma, September to December
    assert ei.hours_forecast == Decimal("1300.00")  # September 2025 to June 2026
    assert ei.etp_forecast == Decimal("0.71")  # 1300 / 1820


def test_a_longer_minimal_stay_moves_sorties_to_not_counted(small, session):
    small.structure.exit_min_stay_months = 9
    figures = indicators.annual(session, small.structure, 2025)
    # Alice stayed 9 months exactly (1 Oct – 30 Jun < 1 Jul): now below; Farid 10 months 22 days.
    assert figures["exits"]["durable"] == 0
    assert figures["exits"]["not_counted"] == 2
    assert figures["dynamic_exit_rate"] == 0.5  # David / (David, Farid)


def test_cli_prints_the_json_of_the_year(app, small, session):
    result = app.test_cli_runner().invoke(
        args=["report", "annual", "--structure", "jardins-du-val", "--year", "2025", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["year"] == 2025
    assert figures["exits"]["not_counted"] == 1
    assert figures["hours_paid"] == 3865.64
    assert "Alice" not in result.output  # aggregates only


def _hugo_left_and_came_back(small, session):
    """Hugo: ACI 26 h from 2 September 2024, left on 14 March 2025 for a CDD of 4 months
    (emploi de transition, 6 months of stay: counted), back on 6 October 2025 on a new ACI
    contract of 20 h until 5 April 2026. The return goes through the file's service."""
    hugo = _person(
        small.structure,
        "Hugo",
        (date(2024, 9, 2), date(2025, 9, 1), 26),
        None,
        (date(2025, 3, 14), "emploi_transition", "cdd_moins_6m"),
    )
    session.flush()
    record_return(session, None, hugo, {"return_date": date(2025, 10, 6)})
    ContractFactory(
        structure_id=small.structure.id,
        employee_id=hugo.id,
        start_date=date(2025, 10, 6),
        end_date=date(2026, 4, 5),
        weekly_hours=Decimal(20),
    )
    session.flush()
    session.expire(hugo, ["contracts"])
    return hugo


def test_a_salarie_who_left_and_came_back_by_hand(small, session):
    hugo = _hugo_left_and_came_back(small, session)
    assert [(s.start, s.end) for s in exits.stays(hugo)] == [
        (date(2024, 9, 2), date(2025, 3, 14)),
        (date(2025, 10, 6), None),
    ]
    figures = indicators.annual(session, small.structure, 2025)
    assert figures["people_served"] == 8  # the seven, and Hugo (once, for both his stays)
    assert figures["entries"] == 6  # his return on 6 October is an entry of 2025
    # His sortie of 14 March still counts in 2025 though he is back in parcours.
    assert figures["exits"] == {
        "durable": 1,
        "transition": 1,
        "positive": 1,
        "other": 1,
        "not_counted": 1,
    }
    assert figures["exits_counted"] == 4
    assert figures["dynamic_exit_rate"] == 0.75  # (Alice, David, Hugo) / 4
    assert figures["durable_exit_rate"] == 0.25  # Alice / 4
    # Hugo: January and February 112.67 each (26 × 52 / 12); March, 10 of its 21 weekdays to
    # the 14th: 53.65; October, 20 of 23 weekdays from the 6th at 20 h: 75.36; November and
    # December 86.67 each → 527.69; 3865.64 + 527.69 = 4393.33.
    assert figures["hours_paid"] == 4393.33
    assert figures["etp_consumed"] == 2.41  # 4393.33 / 1820 = 2.4139…
    # In 2024 he entered; in 2026 he is served, without a new entry.
    assert indicators.annual(session, small.structure, 2024)["entries"] == 3  # Alice, David, Hugo
    board = dashboard.build(session, small.structure, 2025, date(2025, 12, 31))
    assert "Hugo" in [e.first_name for e in board.people["in_parcours"]]
    assert [e.first_name for e in board.people["exits_transition"]] == ["Hugo"]
    assert [e.first_name for e in board.people["entries"]].count("Hugo") == 1


def test_the_follow_up_shows_the_sortie_and_the_return_in_their_months(small, session):
    _hugo_left_and_came_back(small, session)
    march = followup.month_followup(session, small.structure, small.aci, date(2025, 3, 1))
    [line] = [fl for fl in march.lines if fl.employee.first_name == "Hugo"]
    assert (line.entry_in_month, line.exit_in_month) == (None, date(2025, 3, 14))
    october = followup.month_followup(session, small.structure, small.aci, date(2025, 10, 1))
    [line] = [fl for fl in october.lines if fl.employee.first_name == "Hugo"]
    assert (line.entry_in_month, line.exit_in_month) == (date(2025, 10, 6), None)
    assert line.paid.hours == Decimal("75.36")


def test_situation_six_months_after_the_sorties_of_the_year_by_hand(small, session):
    """The five sorties of 2025 (Alice, Chloé, David, Farid, and Hugo's first stay): Alice in
    a CDI six months later, David injoignable, Hugo's first sortie followed by an intérim of
    less than 6 months; Chloé's and Farid's are not known. Chloé's sortie is not counted in
    the rates (stay too short) but its situation is asked for all the same."""
    from siae_app.services.employees import exit_followups

    hugo = _hugo_left_and_came_back(small, session)
    people = small.people
    today = date(2026, 1, 31)
    for employee, exit_date, kind, reason, checked in (
        (people["alice"], date(2025, 6, 30), "emploi_durable", "cdi", date(2026, 1, 5)),
        (people["david"], date(2025, 1, 31), "injoignable", "", date(2025, 8, 1)),
        (hugo, date(2025, 3, 14), "emploi_transition", "interim_moins_6m", date(2025, 9, 15)),
    ):
        values = {"exit_date": exit_date, "checked_on": checked, "kind": kind, "reason": reason}
        exit_followups.record(session, None, employee, values, today)
    figures = indicators.annual(session, small.structure, 2025)
    assert figures["exit_followups"] == {
        "durable": 1,  # Alice
        "transition": 1,  # Hugo's first stay
        "positive": 0,
        "other": 0,
        "unreachable": 1,  # David
        "unknown": 2,  # Chloé, Farid
    }
    # 2024 had no sortie: nothing to follow; 2026's figures do not take 2025's situations.
    assert set(indicators.annual(session, small.structure, 2024)["exit_followups"].values()) == {0}


def _immersion(employee, host, start, end, days, renewal_of=None):
    row = Immersion(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        partner_id=host.id,
        object_kind="decouvrir",
        objectives="Découvrir le métier.",
        start_date=start,
        end_date=end,
        days=days,
        renewal_of_id=renewal_of.id if renewal_of else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_immersions_of_the_year_are_the_conventions_begun_in_it_by_hand(small, session):
    """Conventions counted by their start date, renewals not counted as conventions but
    their days counted; an action or an absence marked PMSMP no longer counts."""
    tenancy.activate_system(session)
    people = small.people
    host = PartnerFactory(structure_id=small.structure.id, name="Pépinière")
    other_host = PartnerFactory(structure_id=small.other.id, name="Ailleurs")
    # The day before 2025: counted in 2024.
    _immersion(people["alice"], host, date(2024, 12, 31), date(2025, 1, 6), 4)
    # The first day of 2025 (David, 6 days), Bruno's convention (8) and its renewal (7).
    _immersion(people["david"], host, date(2025, 1, 1), date(2025, 1, 10), 6)
    bruno = _immersion(people["bruno"], host, date(2025, 6, 2), date(2025, 6, 13), 8)
    _immersion(people["bruno"], host, date(2025, 6, 16), date(2025, 6, 27), 7, renewal_of=bruno)
    # The last day of 2025 (Gaëlle, 3); Emma's convention of December (4) renewed the day
    # after the year's end (5 days, in 2026).
    _immersion(people["gaelle"], host, date(2025, 12, 31), date(2026, 1, 9), 3)
    emma = _immersion(people["emma"], host, date(2025, 12, 1), date(2025, 12, 12), 4)
    _immersion(people["emma"], host, date(2026, 1, 1), date(2026, 1, 10), 5, renewal_of=emma)
    # The other structure's convention never counts.
    intrus = session.scalars(select(Employee).where(Employee.structure_id == small.other.id)).one()
    _immersion(intrus, other_host, date(2025, 3, 3), date(2025, 3, 14), 9)
    # The way PMSMP were recorded before the conventions: not counted any more.
    ActionFactory(
        structure_id=small.structure.id,
        employee_id=people["bruno"].id,
        nature="pmsmp",
        status="faite",
        due_date=date(2025, 6, 2),
    )
    AttendanceFactory(
        structure_id=small.structure.id,
        employee_id=people["bruno"].id,
        day=date(2025, 6, 3),
        status="absent",
        motif="pmsmp",
    )
    tenancy.activate(session, small.structure.id)

    def pmsmp(year):
        done = indicators.annual(session, small.structure, year)["details"]["accompaniment"]
        return done["pmsmp"], done["pmsmp_days"]

    assert pmsmp(2025) == (4, 28)  # David, Bruno, Gaëlle, Emma; 6 + 8 + 7 + 3 + 4
    assert pmsmp(2024) == (1, 4)  # Alice
    assert pmsmp(2026) == (0, 5)  # Emma's renewal: its days, no new convention


def test_month_totals_add_up_the_lines_of_each_month_and_kind(small, session):
    """The dashboard reads the paid hours as month totals: the same hours as the lines."""
    chloe = small.people["chloe"].contracts[0]
    # Entered for September, after Chloé's early end (20 June): no line, so no hour.
    session.add(
        PaidHours(
            structure_id=small.structure.id,
            employee_id=chloe.employee_id,
            contract_id=chloe.id,
            month=date(2025, 9, 1),
            hours=Decimal("50.00"),
            motif="Saisie restée après la sortie",
        )
    )
    session.flush()
    first, last = date(2024, 6, 1), date(2026, 5, 31)
    expected = defaultdict(Decimal)
    for line in paid_hours.lines(session, first, last, "ACI"):
        expected[(line.month, line.annex_kind)] += line.hours
    totals = {
        (t.month, t.annex_kind): t.hours
        for t in paid_hours.month_totals(session, first, last, "ACI")
    }
    assert {k: v for k, v in totals.items() if v} == {k: v for k, v in expected.items() if v}
    # September 2025 on the ACI: Bruno 112.67 + Farid 86.67 (not Chloé's 50).
    assert totals[(date(2025, 9, 1), "ACI")] == Decimal("199.34")
    # October: Bruno's 100 entered + Farid 86.67.
    assert totals[(date(2025, 10, 1), "ACI")] == Decimal("186.67")
    # March: Alice 151.67 + Bruno 59.02 (from the 17th) + Farid 86.67.
    assert totals[(date(2025, 3, 1), "ACI")] == Decimal("297.36")
