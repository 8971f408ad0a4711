"""Dates of the salarié's file (services/employees/dates.py), the French way."""

from __future__ import annotations

from datetime import date

from siae_app.services.employees import dates


def test_a_date_is_written_day_first_and_no_date_is_blank():
    assert dates.fr_date(date(2026, 3, 5)) == "05/03/2026"
    assert dates.fr_date(None) == ""


def test_a_month_later_keeps_the_day_or_falls_on_the_months_last():
    assert dates.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert dates.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert dates.add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)
    assert dates.add_months(date(2025, 12, 1), 12) == date(2026, 12, 1)


def test_typed_dates_are_read_in_the_french_ways():
    for typed in ("2026-03-05", "05/03/2026", "05-03-2026", " 05.03.2026 "):
        assert dates.parse_date(typed) == date(2026, 3, 5)
    assert dates.parse_date("31/02/2026") is None
    assert dates.months_label(22.54) == "22,5 mois"
