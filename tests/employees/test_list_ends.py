"""The ends the list computes in SQL, on a fixed day: suspensions and prolongations that push
a PASS across the window's edges, prolongations added one after the other at a month's end,
the contract running today, the latest PASS; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from cachelib import SimpleCache
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, PassStatus
from siae_app.services.employees import listing
from siae_app.services.funding import figures_cache
from tests import factories as f
from tests.employees.helpers import system
from tests.factories.attendance import AttendanceFactory
from tests.querycount import count_queries

TODAY = date(2027, 3, 1)  # four weeks later: 29 March 2027
D = date


def _salarie(site, name, pass_end, contract=(D(2026, 9, 1), D(2027, 12, 31), None)):
    """A salarié whose PASS ends on ``pass_end`` and whose one contract is ``contract``
    (start, end, ended early on)."""
    sid = site.structure.id
    employee = f.make_employee(sid, site.team, site.member("cip"), last_name=name)
    the_pass, first = employee.passes[0], employee.contracts[0]
    the_pass.start_date, the_pass.end_date = D(2025, 3, 1), pass_end
    first.start_date, first.end_date, first.ended_early_on = contract
    return employee, the_pass


def _suspend(site, the_pass, start: date, days: int):
    f.PassSuspensionFactory(
        structure_id=site.structure.id,
        pass_id=the_pass.id,
        start_date=start,
        end_date=start + timedelta(days=days - 1),
    )


def _prolong(site, the_pass, months: int, decided_on: date):
    f.PassExtensionFactory(
        structure_id=site.structure.id, pass_id=the_pass.id, months=months, decided_on=decided_on
    )


@pytest.fixture
def salaries(world):
    system()
    a = world.a
    _, p = _salarie(a, "Enchaine", D(2026, 8, 31))
    # Recorded in the other order: the decisions' dates decide. 31 August + 6 months is
    # 28 February, + 1 month 28 March (all at once, or 1 month first: the 30th or 31st).
    _prolong(a, p, 1, D(2026, 7, 1))
    _prolong(a, p, 6, D(2026, 6, 1))
    _, p = _salarie(a, "Borne", D(2027, 3, 20))
    _suspend(a, p, D(2027, 1, 10), 9)  # 29 March: the window's last day
    _, p = _salarie(a, "Depasse", D(2027, 3, 20))
    _suspend(a, p, D(2027, 1, 10), 4)
    _suspend(a, p, D(2027, 2, 1), 6)  # 10 days in all: 30 March
    _, p = _salarie(a, "Reprend", D(2027, 2, 25))
    _suspend(a, p, D(2027, 2, 26), 5)  # ended before today, suspended: 2 March
    _, p = _salarie(a, "Prolonge", D(2027, 3, 10))
    _prolong(a, p, 1, D(2027, 2, 1))  # 10 April
    _salarie(a, "Simple", TODAY)  # ends today: in the window
    employee, _ = _salarie(a, "Ancien", D(2028, 12, 31))
    old = f.PassIaeFactory(
        structure_id=a.structure.id,
        employee_id=employee.id,
        start_date=D(2023, 1, 1),
        end_date=D(2027, 3, 15),
    )
    assert old.end_date < D(2028, 12, 31)  # an older PASS ending in the window: not the latest
    employee, _ = _salarie(
        a, "Avenant", D(2028, 12, 31), contract=(D(2026, 9, 1), D(2027, 8, 31), D(2027, 3, 20))
    )
    f.ContractFactory(  # the next one, not yet running
        structure_id=a.structure.id,
        employee_id=employee.id,
        start_date=D(2027, 4, 1),
        end_date=D(2027, 9, 30),
    )
    _salarie(a, "Fini", D(2028, 12, 31), contract=(D(2026, 3, 1), D(2027, 2, 10), None))
    _salarie(world.b, "Autre", D(2027, 3, 5))
    db.session.commit()
    tenancy.activate(db.session, a.structure.id)
    return a


def _rows(weeks=None, page=1, size=50):
    flt = listing.ListFilter(status="tous", ending_weeks=weeks, page=page)
    return listing.rows(db.session, select(Employee), flt, today=TODAY, page_size=size)


def _ends(page) -> dict:
    return {r.employee.last_name: (r.contract_end, r.pass_end, r.pass_status) for r in page.rows}


def test_the_window_keeps_the_exact_ends(salaries):
    page = _rows(weeks=4)
    assert [r.employee.last_name for r in page.rows] == [
        "Avenant",
        "Borne",
        "Enchaine",
        "Reprend",
        "Simple",
    ]
    assert page.total == 5 and all(r.ending_soon for r in page.rows)
    ends = _ends(page)
    assert ends["Enchaine"][1] == D(2027, 3, 28)
    assert ends["Borne"][1] == D(2027, 3, 29)
    assert ends["Reprend"][1:] == (D(2027, 3, 2), PassStatus.SUSPENDED)
    assert ends["Simple"][1:] == (TODAY, PassStatus.VALID)
    assert ends["Avenant"][0] == D(2027, 3, 20)


def test_the_whole_list_shows_the_same_ends(salaries):
    ends = _ends(_rows())
    assert len(ends) == 9 + 2  # and the fixture's 2; not the other structure's salarié
    assert "Autre" not in ends
    assert ends["Depasse"][1] == D(2027, 3, 30)
    assert ends["Prolonge"][1] == D(2027, 4, 10)
    assert ends["Ancien"][1] == D(2028, 12, 31)
    assert ends["Fini"][0] == D(2027, 2, 10)
    assert ends["Enchaine"][1:] == (D(2027, 3, 28), PassStatus.VALID)
    assert ends["Reprend"][2] == PassStatus.SUSPENDED
    assert ends["Avenant"][0] == D(2027, 3, 20)
    assert not any(r.ending_soon for r in _rows().rows)


def test_the_window_pages_and_a_page_past_the_last_shows_the_last(salaries):
    second = _rows(weeks=4, page=2, size=2)
    assert (second.total, second.page, second.pages) == (5, 2, 3)
    assert [r.employee.last_name for r in second.rows] == ["Enchaine", "Reprend"]
    beyond = _rows(weeks=4, page=9, size=2)
    assert (beyond.total, beyond.page) == (5, 3)
    assert [r.employee.last_name for r in beyond.rows] == ["Simple"]


def test_fixed_queries_for_the_window_and_the_list_at_any_size(salaries, world):
    """The window: the files revision, the ends of the structure's salariés who may end
    within 12 weeks (kept in production), the page; the list: its count and its page."""

    def queries(**kw) -> int:
        # As a request: a transaction of its own (the revision is read once per transaction).
        db.session.commit()
        tenancy.activate(db.session, world.a.structure.id)
        db.session.expire_all()
        with count_queries() as counter:
            _rows(**kw)
        return counter.count

    few = (queries(weeks=12), queries())
    system()
    for i in range(20):
        _, p = _salarie(world.a, f"Lot{i:02d}", D(2027, 3, 10))
        _suspend(world.a, p, D(2027, 1, 4), 1 + i)
        _prolong(world.a, p, 1, D(2027, 1, 1))  # by 30 April at the latest
    db.session.commit()
    tenancy.activate(db.session, world.a.structure.id)
    assert _rows(weeks=12).total == 5 + 2 + 20  # Depasse and Prolonge are within 12 weeks
    assert (queries(weeks=12), queries()) == few == (3, 2)


@pytest.fixture
def cached(salaries, app, monkeypatch):
    """A fresh in-memory cache for this test (the suite runs without one)."""
    store = SimpleCache()
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, store)
    with app.app_context():
        yield store


def test_the_ends_are_kept_until_a_file_changes_and_marks_leave_them(salaries, world, cached):
    """Each window and each filter reads the kept ends (no PASS is read again), a change of a
    PASS shows at once, a day's attendance mark does not make them be computed again."""
    first = _ends(_rows(weeks=4))
    assert cached.get(next(iter(cached._cache))) and len(first) == 5

    def reads_passes(**kw) -> bool:
        with count_queries() as counter:
            found = _ends(_rows(**kw))
        return found, bool([q for q in counter.statements if "pass_suspensions" in q])

    assert reads_passes(weeks=4) == (first, False)
    eight = reads_passes(weeks=8)
    assert eight[1] is False and set(first) < set(eight[0])  # Depasse, Prolonge
    system()
    AttendanceFactory(
        structure_id=salaries.structure.id,
        employee_id=salaries.employee.id,
        team_id=salaries.team.id,
        day=TODAY,
    )
    db.session.commit()
    tenancy.activate(db.session, salaries.structure.id)
    assert reads_passes(weeks=4) == (first, False)
    system()
    simple = db.session.scalar(select(Employee).where(Employee.last_name == "Simple"))
    simple.passes[0].end_date = D(2027, 6, 30)  # prolonged by hand: out of the window
    db.session.commit()
    tenancy.activate(db.session, salaries.structure.id)
    found, read = reads_passes(weeks=4)
    assert read and set(found) == set(first) - {"Simple"}
