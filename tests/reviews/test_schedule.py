"""The expected bilans of a parcours, computed from the dates (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from siae_app.models import Contract, Employee, PassIae, ReviewStatus
from siae_app.services.reviews import schedule


def _parcours(exit_date=None):
    employee = Employee(first_name="Inès", last_name="Roux", entry_date=date(2026, 1, 5))
    employee.exit_date = exit_date
    contract = Contract(
        start_date=date(2026, 1, 5), end_date=date(2026, 7, 4), weekly_hours=Decimal("26")
    )
    pass_iae = PassIae(
        number="999990000001", start_date=date(2025, 5, 1), end_date=date(2027, 4, 30)
    )
    pass_iae.suspensions, pass_iae.extensions = [], []
    return employee, [contract], [pass_iae]


def test_each_bilan_is_due_from_the_contract_and_pass_dates():
    employee, contracts, passes = _parcours()
    found = {(e.kind, e.due_on) for e in schedule.expected(employee, contracts, passes)}
    assert found == {
        ("integration", date(2026, 2, 5)),  # entry + 1 month
        ("intermediate", date(2026, 4, 5)),  # mid-contract: 5 Jan + 90 days (180 // 2)
        ("tripartite", date(2026, 6, 4)),  # one month before the contract ends
        ("prolongation", date(2026, 4, 30)),  # 12 months before the PASS ends: asked from then
    }


def test_exit_brings_the_exit_bilan_and_the_six_month_follow_up_only():
    employee, contracts, passes = _parcours(exit_date=date(2026, 3, 20))
    found = [(e.kind, e.due_on) for e in schedule.expected(employee, contracts, passes)]
    assert found == [
        ("integration", date(2026, 2, 5)),
        ("exit", date(2026, 3, 20)),
        ("followup_6m", date(2026, 9, 20)),
    ]


def test_late_means_past_due_with_no_bilan_opened_near_that_date():
    employee, contracts, passes = _parcours()
    items = schedule.expected(employee, contracts, passes)
    today = date(2026, 4, 20)
    late = schedule.late(items, [], today)
    assert [e.kind for e in late] == ["integration", "intermediate"]
    opened = [("integration", date(2026, 2, 12)), ("intermediate", date(2025, 1, 1))]
    assert [e.kind for e in schedule.late(items, opened, today)] == ["intermediate"]


def test_a_bilan_replaced_by_a_later_validated_one_is_not_late():
    """The bilan d'intégration (due 5 Feb) was never opened, but the parcours went on: the
    bilan intermédiaire of 5 April is validated. Only a validated later bilan replaces it."""
    employee, contracts, passes = _parcours()
    items = schedule.expected(employee, contracts, passes)
    today = date(2026, 4, 20)
    drafted = [("intermediate", date(2026, 4, 5), ReviewStatus.DRAFT)]
    assert [e.kind for e in schedule.late(items, drafted, today)] == ["integration"]
    validated = [("intermediate", date(2026, 4, 5), ReviewStatus.VALIDATED)]
    assert schedule.late(items, validated, today) == []
    integration = items[0]
    assert schedule.replaced_by(integration, validated).kind == "intermediate"
    assert not schedule.answered(integration, validated)
    # A validated bilan dated before the expected one does not replace it.
    earlier = [("intermediate", date(2026, 1, 20), ReviewStatus.VALIDATED)]
    assert [e.kind for e in schedule.late(items, earlier, today)] == [
        "integration",
        "intermediate",
    ]


def test_the_answering_bilan_is_the_nearest_within_60_days_the_first_of_equals():
    item = schedule.Expected("tripartite", date(2026, 6, 4))
    at_the_edge = ("tripartite", date(2026, 8, 3), ReviewStatus.DRAFT, "bord")  # 60 days
    too_far = ("tripartite", date(2026, 8, 4), ReviewStatus.DRAFT, "loin")  # 61 days
    assert schedule.answering(item, [too_far]) is None
    assert schedule.answering(item, [too_far, at_the_edge]).ref == "bord"
    before = ("tripartite", date(2026, 6, 1), ReviewStatus.DRAFT, "avant")  # 3 days
    after = ("tripartite", date(2026, 6, 7), ReviewStatus.DRAFT, "après")  # 3 days
    nearer = ("tripartite", date(2026, 6, 5), ReviewStatus.DRAFT, "plus près")
    other_kind = ("intermediate", date(2026, 6, 4), ReviewStatus.DRAFT, "autre")
    assert schedule.answering(item, [at_the_edge, after, before]).ref == "après"
    assert schedule.answering(item, [after, before, nearer, other_kind]).ref == "plus près"
    undated = ("tripartite", None, ReviewStatus.DRAFT, "sans date")
    assert schedule.answering(item, [undated]) is None


def test_the_replacing_bilan_is_the_earliest_validated_after_the_due_date():
    item = schedule.Expected("integration", date(2026, 2, 5))
    opened = [
        ("intermediate", date(2026, 4, 5), ReviewStatus.VALIDATED, "intermédiaire"),
        ("tripartite", date(2026, 6, 4), ReviewStatus.DRAFT, "brouillon"),
        ("exit", date(2026, 9, 1), ReviewStatus.VALIDATED, "sortie"),
        ("integration", date(2026, 2, 5), ReviewStatus.VALIDATED, "le jour même"),
    ]
    assert schedule.replaced_by(item, opened).ref == "intermédiaire"
    assert schedule.replaced_by(item, opened[1:]).ref == "sortie"
    assert schedule.replaced_by(item, opened[1:2] + opened[3:]) is None
