"""The access log's purge (services/employees/access_log.py): counted per structure, a dry run
deletes nothing, the default deletes, and the year is counted in UTC whatever the server's
local time zone; a view's row; what makes a response logged as sensitive."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import Response
from sqlalchemy import func, select

from siae_app import access_trail, tenancy
from siae_app.models import AccessLog
from siae_app.services.employees import access_log
from tests import factories as f


def _entry(site, at):
    return f.AccessLogFactory(
        structure_id=site.structure.id,
        membership_id=site.member("cip").id,
        employee_id=site.employee.id,
        at=at,
    )


def _count(session) -> int:
    return session.scalar(select(func.count(AccessLog.id)))


def test_purge_counts_each_structure_its_own_old_entries(session, world):
    old = datetime.now(UTC) - timedelta(days=400)
    for _ in range(2):
        _entry(world.a, old)
    _entry(world.b, old)
    _entry(world.b, datetime.now(UTC))
    assert _count(session) == 4

    assert access_log.purge(session, dry_run=True) == {"alpha": 2, "beta": 1}
    assert _count(session) == 4  # a dry run deletes nothing

    assert access_log.purge(session) == {"alpha": 2, "beta": 1}  # the default deletes
    assert _count(session) == 1


@pytest.fixture
def far_east_clock():
    """The process's local time 14 hours ahead of UTC (Kiribati), as a server set to a local
    zone would have it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_year_is_counted_in_utc_whatever_the_local_zone(session, world, far_east_clock):
    # Six hours short of a year: kept, even where the local clock is 14 hours ahead.
    almost = datetime.now(UTC) - timedelta(days=365) + timedelta(hours=6)
    _entry(world.a, almost)
    assert access_log.purge(session) == {}
    assert _count(session) == 1


def test_the_journal_filters_whole_days_in_utc_newest_first(session, world):
    day = datetime(2026, 3, 5, tzinfo=UTC)
    stamps = [
        day - timedelta(microseconds=1),  # the evening before
        day,  # midnight
        day + timedelta(hours=23, minutes=59, seconds=59),
        day + timedelta(days=1),  # the next midnight
    ]
    for at in stamps:
        _entry(world.a, at)
    flt = access_log.LogFilter(since=day.date(), until=day.date())
    rows, total = access_log.entries(session, flt)
    assert total == 2
    assert [_utc(r.at) for r in rows] == [stamps[2], stamps[1]]
    rows, total = access_log.entries(session, flt, limit=1)
    assert (total, [_utc(r.at) for r in rows]) == (2, [stamps[2]])
    rows, total = access_log.entries(session, access_log.LogFilter(since=day.date()))
    assert total == 3
    rows, total = access_log.entries(session, access_log.LogFilter(until=day.date()))
    assert total == 3


def _utc(at: datetime) -> datetime:
    """SQLite gives back the stored UTC time without its zone."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("part", "action", "label"),
    [
        ("observations.list.today", "view", "Observations"),  # a feature's page, any depth
        ("observations.panel", "download", "Observations (téléchargement)"),
        ("inconnu", "view", "inconnu"),  # an unknown part is shown as stored, never dropped
        ("zzz.yyy", "view", "zzz.yyy"),
        ("employees.show", "autre", "Fiche du salarié"),  # an unknown action adds nothing
    ],
)
def test_every_part_reads_as_a_label(part, action, label):
    assert access_log.part_label(AccessLog(part=part, action=action)) == label


def test_a_view_is_recorded_as_a_view_unless_told_otherwise(session, world):
    site = world.a
    with tenancy.tenant_scope(session, site.structure.id):
        seen = access_log.record_view(session, site.member("cip"), site.employee, "employees.show")
        got = access_log.record_view(
            session, site.member("cip"), site.employee.id, "reviews.pdf", action="download"
        )
    assert (seen.action, seen.employee_id, seen.sensitive) == ("view", site.employee.id, False)
    assert got.action == "download"


@pytest.mark.parametrize(
    ("body", "mimetype", "streamed", "sensitive"),
    [
        (b"<div data-sensitive>x</div>", "text/html", False, True),
        (b"<p>rien</p>", "text/html", False, False),
        # a file is never read for the marker, even when a person typed it in a cell
        (b"nom;note\ndata-sensitive;x\n", "text/csv", False, False),
        # a streamed page is not read (it would be consumed)
        (b"<div data-sensitive>x</div>", "text/html", True, False),
    ],
    ids=["html-marked", "html-plain", "csv-with-the-word", "streamed-html"],
)
def test_what_makes_a_logged_response_sensitive(app, body, mimetype, streamed, sensitive):
    response = Response(iter([body]) if streamed else body, mimetype=mimetype)
    with app.test_request_context("/"):
        assert access_trail._shows_sensitive(response) is sensitive


def test_the_salaries_a_url_names_whatever_the_order_of_its_arguments(app, session, world):
    """From the ids of the URL alone (nothing loaded by a view): an argument that names no
    salarié is passed over, an id that finds nothing names no one."""
    site = world.a
    contract = site.employee.contracts[0]
    with app.test_request_context("/"), tenancy.tenant_scope(session, site.structure.id):
        named = access_trail._named_employees(
            {"team_id": site.team.id, "employee_id": site.employee.id}
        )
        assert named == {site.employee.id}
        assert access_trail._named_employees({"contract_id": contract.id}) == {site.employee.id}
        assert access_trail._named_employees({"employee_id": uuid.uuid4()}) == set()
