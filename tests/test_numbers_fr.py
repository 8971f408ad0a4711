"""Numbers written in French on the pages: the fast path writes what Babel writes."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal

from siae_app.templating import number_fr, plural


def test_whole_numbers_are_written_as_babel_writes_them(app):
    with app.test_request_context():
        for n in [*range(-1100, 1100), 9999, 12345, 1234567]:
            assert number_fr(n) == format_decimal(n), n


def test_other_numbers_go_through_babel(app):
    with app.test_request_context():
        assert number_fr(1000) == "1\u202f000"
        assert number_fr(Decimal("35.50")) == "35,5"
        assert number_fr(2.25) == "2,25"
        assert number_fr(None) == ""


def test_plural_takes_the_singular_below_two(app):
    with app.test_request_context():
        assert plural(0, "compétence", "compétences") == "0 compétence"
        assert plural(1, "compétence", "compétences") == "1 compétence"
        assert plural(None, "alerte", "alertes") == "0 alerte"
        assert plural(1500, "alerte", "alertes") == "1\u202f500 alertes"
