"""Présences (services/attendance.py): hours in French as Babel writes them, the week and
month of a day, and the totals (hours, days, assiduité) a grid and its export show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import format_decimal

from siae_app.services import attendance


@pytest.mark.parametrize(
    "value",
    ["0", "0.5", "7", "17.50", "35.00", "0.125", "999.99", "1000", "1234.5", "-3", "1.2345"],
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
