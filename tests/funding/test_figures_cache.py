"""The dashboard's figures cache: keyed on the structure's figures revision, which every commit
changing the structure's data bumps — so a figure is never older than the data it counts."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from cachelib import SimpleCache
from sqlalchemy import update

from siae_app import tenancy
from siae_app.models import AccessLog, Action, Attendance, Base, Employee, PaidHours, Structure
from siae_app.models.attendance import MARK_HISTORY_ENTITY
from siae_app.models.observations import Observation
from siae_app.services import history
from siae_app.services.funding import dashboard, figures_cache, revision
from tests.factories.employees import make_employee
from tests.factories.interviews import InterviewFactory
from tests.funding.small_structure import build_small
from tests.querycount import count_queries
from tests.site import text_of


def _revision(session, structure) -> int:
    session.expire(structure, ["figures_revision"])
    return structure.figures_revision


@pytest.fixture
def cached(app, monkeypatch):
    """A fresh in-memory cache for this test (the suite runs without one)."""
    store = SimpleCache()
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, store)
    return store


def test_a_commit_that_changes_the_data_bumps_its_structure_only(world, session):
    a, b = world.a.structure, world.b.structure
    before_a, before_b = _revision(session, a), _revision(session, b)
    employee = world.a.employee
    session.add(
        Attendance(structure_id=a.id, employee_id=employee.id, day=date.today(), status="present")
    )
    session.commit()
    assert _revision(session, a) == before_a + 1
    assert _revision(session, b) == before_b
    employee.first_name = "Renommée"
    session.commit()
    assert _revision(session, a) == before_a + 2


def test_a_setting_of_the_structure_bumps_it(world, session):
    structure = world.a.structure
    before = _revision(session, structure)
    structure.exit_min_stay_months = 4
    session.commit()
    assert _revision(session, structure) == before + 1


def test_reading_and_the_access_log_do_not_bump(world, session, client_for):
    structure = world.a.structure
    before = _revision(session, structure)
    client = client_for(world.a.member("director"))
    page = client.get(f"/s/{world.a.slug}/salaries/{world.a.employee.id}")
    assert page.status_code == 200
    with tenancy.system_scope(session):
        logged = session.query(AccessLog).filter_by(employee_id=world.a.employee.id).count()
    assert logged >= 1  # the view wrote its access-log row…
    assert _revision(session, structure) == before  # …which is not a change of the figures


def test_an_observation_from_the_chantier_does_not_bump(world, session, client_for):
    """ETIs write observations all day; the figures never read them, so the dashboard's
    cache is not emptied by each one (an attendance mark, which they read, still bumps)."""
    structure = world.a.structure
    before = _revision(session, structure)
    client = client_for(world.a.member("eti"))
    answer = client.post(
        f"/s/{world.a.slug}/salaries/{world.a.employee.id}/observations",
        data={"record_id": str(uuid.uuid4()), "text": "Bon geste.", "tone": "positive"},
    )
    assert answer.status_code == 303
    assert _revision(session, structure) == before
    assert revision.counts_class(Attendance) and not revision.counts_class(Observation)


def test_a_rolled_back_change_leaves_the_revision(world, session):
    structure = world.a.structure
    before = _revision(session, structure)
    nested = session.begin_nested()
    world.a.employee.first_name = "Annulée"
    session.flush()
    assert revision.touched(session) == {structure.id}
    nested.rollback()
    session.rollback()
    assert not revision.touched(session)
    assert _revision(session, structure) == before


def test_a_bulk_update_bumps_every_structure(world, session):
    """Bulk statements run only in the system scope (the tenancy refuses them elsewhere) and
    may touch any structure: all of them move."""
    a, b = world.a.structure, world.b.structure
    before_a, before_b = _revision(session, a), _revision(session, b)
    session.execute(
        update(PaidHours).values(hours=Decimal(1)), execution_options={"synchronize_session": False}
    )
    session.commit()
    assert (_revision(session, a), _revision(session, b)) == (before_a + 1, before_b + 1)


def test_the_three_revisions_are_read_once_a_transaction_and_again_after_its_commit(world, session):
    """A page keeping values under two counters pays one query; the next transaction (the
    next request) reads the numbers a commit moved, never the ones read before it."""
    a = world.a.structure
    sid = a.id
    session.commit()
    with count_queries() as counter:
        first = {kind: revision.current(session, sid, kind) for kind in revision._COLUMNS}
        assert revision.current(session, sid, revision.FIGURES) == first[revision.FIGURES]
    assert counter.count == 1
    a.name = "Renommée"  # a setting of the structure: the three counters move
    session.commit()
    with count_queries() as counter:
        after = {kind: revision.current(session, sid, kind) for kind in revision._COLUMNS}
    assert counter.count == 1
    assert after == {kind: number + 1 for kind, number in first.items()}
    session.rollback()  # a rolled-back transaction forgets them too
    with count_queries() as counter:
        revision.current(session, sid)
    assert counter.count == 1


def _both_revisions(session, structure) -> tuple[int, int]:
    session.expire(structure, ["figures_revision", "files_revision"])
    return structure.figures_revision, structure.files_revision


def test_attendance_marks_move_the_figures_revision_and_not_the_files_one(world, session):
    """What reads no mark (the alerts' lines) stays kept through the roll calls; any other
    change, or a mark with it in one commit, moves both."""
    a, b = world.a.structure, world.b.structure
    figures, files = _both_revisions(session, a)
    employee = world.a.employee
    mark = Attendance(
        structure_id=a.id, employee_id=employee.id, day=date.today(), status="present"
    )
    session.add(mark)
    session.commit()
    assert _both_revisions(session, a) == (figures + 1, files)
    # A mark changed writes its history line (as services.attendance.mark): still a mark.
    history.change(session, None, MARK_HISTORY_ENTITY, mark, {"hours_worked": Decimal(5)})
    session.commit()
    assert _both_revisions(session, a) == (figures + 2, files)
    mark.status = "absent"
    employee.first_name = "Renommée"
    session.commit()
    assert _both_revisions(session, a) == (figures + 3, files + 1)
    with tenancy.tenant_scope(session, a.id):
        session.delete(mark)
        session.commit()
    assert _both_revisions(session, a) == (figures + 4, files + 1)
    before_b = _both_revisions(session, b)
    session.execute(  # a bulk statement (system scope): every structure's figures move
        update(Attendance).values(hours_worked=Decimal(1)),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    assert _both_revisions(session, a) == (figures + 5, files + 1)
    assert _both_revisions(session, b) == (before_b[0] + 1, before_b[1])
    session.execute(
        update(Employee).values(usage_name=None), execution_options={"synchronize_session": False}
    )
    session.commit()
    assert _both_revisions(session, b) == (before_b[0] + 2, before_b[1] + 1)


def test_the_cached_figures_follow_a_change_at_once(world, session, client_for, cached):
    client = client_for(world.a.member("director"))
    url = f"/s/{world.a.slug}/pilotage"
    first = text_of(client.get(url))
    served = _served(first)
    with count_queries() as hit:
        again = client.get(url)
    assert _figures(text_of(again)) == _figures(first)
    with count_queries() as miss:
        _dashboard_without_cache(client, url)
    # The second view did not compute the figures again.
    assert hit.count < miss.count, (hit.statements, miss.statements)
    make_employee(world.a.structure.id, world.a.team, last_name="Nouvelle")
    session.commit()
    after = text_of(client.get(url))
    assert _served(after) == served + 1, _figures(after)


def test_a_roll_call_mark_leaves_the_kept_figures_and_moves_the_attendance_rate(
    world, session, client_for, cached
):
    """All morning the ETIs mark the day: the figures that read no mark stay kept (under the
    files' revision), the month's attendance rate follows each mark at once."""
    site = world.a
    client = client_for(site.member("director"))
    url = f"/s/{site.slug}/pilotage"
    first = text_of(client.get(url))
    today = date.today()
    for employee, status in ((site.employee, "present"), (site.other_employee, "absent")):
        session.add(
            Attendance(
                structure_id=site.structure.id,
                employee_id=employee.id,
                team_id=site.team.id,
                day=today,
                status=status,
                motif="injustifiee" if status == "absent" else None,
            )
        )
    session.commit()
    with count_queries() as seen:
        after = text_of(client.get(url))
    assert not [s for s in seen.statements if "FROM contracts" in s]  # the rest was kept
    assert [s for s in seen.statements if "FROM attendances" in s]  # the rate was read again
    assert _rate(first) == "—" and _rate(after) == "50 %"  # one day present out of two due
    assert _figures(after)[:2] == _figures(first)[:2]


def _rate(text: str) -> str:
    return re.search(r"<dt>Assiduité en [^<]*</dt><dd>([^<]*)</dd>", text).group(1)


def _figures(text: str) -> list[str]:
    return re.findall(r"<dd>(.*?)</dd>", text)


def _dashboard_without_cache(client, url):
    client.application.extensions[figures_cache.EXTENSION].clear()
    assert client.get(url).status_code == 200


def _served(text: str) -> int:
    found = re.search(r"<dt>Personnes accompagnées</dt><dd><a [^>]*>(\d+)<", text)
    assert found, text
    return int(found.group(1))


def test_the_summary_states_what_the_build_counts(session):
    small = build_small(session)
    tenancy.activate(session, small.structure.id)
    today = date(2025, 12, 31)
    board = dashboard.build(session, small.structure, 2025, today)
    summary = dashboard.summary(session, small.structure, 2025, today)
    assert summary.counts == {key: len(people) for key, people in board.people.items()}
    assert summary.counts["exits_counted"] == 3
    assert summary.figures == board.figures
    assert [a.label for a in summary.annexes] == [a.annex.label for a in board.annexes]
    assert summary.target_dynamic_rate == small.aci.target_dynamic_rate
    assert dashboard.exit_rows(summary) == dashboard.exit_rows(board)


def test_a_transaction_with_its_own_changes_neither_reads_nor_fills_the_cache(
    world, session, cached
):
    structure = world.a.structure
    tenancy.activate(session, structure.id)
    world.a.employee.first_name = "Modifiée"
    session.flush()
    dashboard.summary(session, structure, date.today().year, date.today())
    assert not any(True for _ in cached._cache)


_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_]+)"?', re.IGNORECASE)


def test_every_table_the_dashboard_reads_bumps_the_revision(world, session):
    """A table the figures read but whose changes did not bump the revision would let the
    cache serve an old figure: each one read must count (or be the structure itself)."""
    tenancy.activate(session, world.a.structure.id)
    today = date.today()
    with count_queries() as seen:
        dashboard.build(session, world.a.structure, today.year, today + timedelta(days=0))
    tables = {name for statement in seen.statements for name in _TABLE.findall(statement)}
    by_table = {m.local_table.name: m.class_ for m in Base.registry.mappers}
    read = {by_table[name] for name in tables if name in by_table}
    assert Employee in read and Attendance in read  # the capture works
    assert {cls.__name__ for cls in read if not revision.counts_class(cls)} <= {"Structure"}
    assert not revision.counts(AccessLog(structure_id=world.a.structure.id))
    assert revision.counts(Structure(slug="x", name="x"))
    # What is kept under the dashboard's revision reads only the tables that move it.
    with count_queries() as kept:
        dashboard._compute(session, world.a.structure, today.year, today, marks=False)
    tables = {name for statement in kept.statements for name in _TABLE.findall(statement)}
    declared = {cls.__tablename__ for cls in revision.DASHBOARD_READS}
    assert "employees" in tables and "attendances" not in tables
    assert "change_records" in tables
    assert tables - declared <= {"change_records", "structures"}
    history = [s for s in kept.statements if "FROM change_records" in s]
    assert history and all("change_records.entity = " in s for s in history)


def test_only_what_the_dashboard_reads_moves_its_revision(world, session, client_for, cached):
    """The day's actions, entretiens and marks leave the dashboard's figures kept; a change of
    a salarié's contract, or the status of a frein (its history line), moves them."""
    site = world.a

    def moved(change) -> bool:
        session.expire(site.structure, ["dashboard_revision"])
        before = site.structure.dashboard_revision
        change()
        session.commit()
        session.expire(site.structure, ["dashboard_revision"])
        return site.structure.dashboard_revision != before

    today = date.today()
    sid, employee = site.structure.id, site.employee
    action = {"structure_id": sid, "employee_id": employee.id, "label": "CV"}
    assert not moved(lambda: session.add(Action(**action, due_date=today)))
    assert not moved(lambda: InterviewFactory(structure_id=sid, employee_id=employee.id))
    mark = {"structure_id": sid, "employee_id": employee.id, "status": "present"}
    assert not moved(lambda: session.add(Attendance(**mark, day=today)))
    contract = employee.contracts[0]
    assert moved(lambda: setattr(contract, "end_date", today + timedelta(days=90)))
    client = client_for(site.member("director"))
    url = f"/s/{site.slug}/pilotage"
    client.get(url)
    assert not moved(lambda: session.add(Action(**action, due_date=today)))
    with count_queries() as seen:
        assert client.get(url).status_code == 200
    assert not [s for s in seen.statements if "FROM contracts" in s]  # the figures were kept


def test_the_figures_go_through_redis_when_there_is_one(
    world, session, client_for, app, monkeypatch
):
    """Production keeps the figures in Redis (shared by the workers): they must survive the
    trip (pickled there and back) and still follow a change."""
    import redis
    from cachelib import RedisCache

    client_redis = redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=0.5)
    try:
        client_redis.ping()
    except redis.RedisError:
        pytest.skip("pas de Redis sur 127.0.0.1:6379")
    store = RedisCache(client_redis, key_prefix=f"test-chiffres-{world.a.structure.id}:")
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, store)
    client = client_for(world.a.member("director"))
    url = f"/s/{world.a.slug}/pilotage"
    try:
        first = text_of(client.get(url))
        assert client_redis.keys(f"test-chiffres-{world.a.structure.id}:*")
        assert _figures(text_of(client.get(url))) == _figures(first)
        make_employee(world.a.structure.id, world.a.team, last_name="Redis")
        session.commit()
        assert _served(text_of(client.get(url))) == _served(first) + 1
    finally:
        for key in client_redis.keys(f"test-chiffres-{world.a.structure.id}:*"):
            client_redis.delete(key)
