"""Journal des accès: one row per view of a file, never the data; read by direction/admin;
purged after a year by ``flask rgpd purge-access-log``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from siae_app.extensions import db
from siae_app.models import AccessLog
from tests import factories as f
from tests.employees.helpers import file_url, system, url
from tests.site import text_of


def _logs(employee=None):
    system()
    stmt = select(AccessLog)
    if employee is not None:
        stmt = stmt.where(AccessLog.employee_id == employee.id)
    return db.session.scalars(stmt.order_by(AccessLog.at)).all()


def test_each_view_of_a_file_writes_one_row_without_the_data(world, client_for):
    member = world.a.member("eti")
    client = client_for(member)
    for _ in range(3):
        assert client.get(file_url(world.a)).status_code == 200
    rows = _logs(world.a.employee)
    assert len(rows) == 3
    row = rows[0]
    assert (row.membership_id, row.part, row.action) == (member.id, "employees.show", "view")
    assert row.structure_id == world.a.structure.id and row.sensitive is False
    columns = set(AccessLog.__table__.c.keys())
    assert columns == {
        "id",
        "structure_id",
        "at",
        "membership_id",
        "employee_id",
        "part",
        "action",
        "sensitive",
    }


def test_the_list_and_a_refused_view_write_nothing(world, client_for):
    client_for(world.a.member("cip")).get(url(world.a, "/"))
    client_for(world.a.member("eti")).get(file_url(world.a, world.a.other_employee))  # 404
    client_for(world.a.member("admin")).get(file_url(world.a))  # 403
    assert _logs() == []


def test_direction_and_admin_read_the_log_with_filters(world, client_for):
    cip = world.a.member("cip")
    client_for(cip).get(file_url(world.a))
    client_for(world.a.member("eti")).get(file_url(world.a))
    client_for(cip).get(file_url(world.a, world.a.other_employee))
    for role in ("director", "admin"):
        client = client_for(world.a.member(role))
        page = text_of(client.get(url(world.a, "/journal-des-acces")))
        assert "3 consultations" in page
        assert cip.user.full_name in page and world.a.employee.display_name in page
        only_cip = text_of(client.get(url(world.a, f"/journal-des-acces?personne={cip.id}")))
        assert "2 consultations" in only_cip
        other = world.a.other_employee
        one = text_of(client.get(url(world.a, f"/journal-des-acces?salarie={other.id}")))
        assert "1 consultation" in one
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        none = text_of(client.get(url(world.a, f"/journal-des-acces?du={tomorrow}")))
        assert "0 consultation" in none
    for role in ("eti", "cip", "coordinator"):
        r = client_for(world.a.member(role)).get(url(world.a, "/journal-des-acces"))
        assert r.status_code == 403


def test_admin_reads_the_log_but_not_the_files(world, client_for):
    admin = client_for(world.a.member("admin"))
    file = admin.get(file_url(world.a))
    assert file.status_code == 403 and "Accès refusé" in text_of(file)
    assert world.a.employee.display_name not in text_of(file)
    log = admin.get(url(world.a, "/journal-des-acces"))
    assert log.status_code == 200 and "<h1>Journal des accès</h1>" in text_of(log)


def test_log_of_another_structure_is_not_shown(world, client_for):
    client_for(world.b.member("cip")).get(file_url(world.b))
    page = text_of(client_for(world.a.member("director")).get(url(world.a, "/journal-des-acces")))
    assert "0 consultation" in page and world.b.employee.display_name not in page


def test_purge_command_removes_old_entries_and_says_so(app, world):
    system()
    old = datetime.now(UTC) - timedelta(days=400)
    for site in (world.a, world.b):
        f.AccessLogFactory(
            structure_id=site.structure.id,
            membership_id=site.member("cip").id,
            employee_id=site.employee.id,
            at=old,
        )
    f.AccessLogFactory(
        structure_id=world.a.structure.id,
        membership_id=world.a.member("cip").id,
        employee_id=world.a.employee.id,
    )
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["rgpd", "purge-access-log", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 consultation(s) de plus de 365 jours seraient supprimées" in dry.output
    assert "alpha : 1" in dry.output and "beta : 1" in dry.output
    system()
    assert db.session.scalar(select(func.count(AccessLog.id))) == 3
    done = runner.invoke(args=["rgpd", "purge-access-log"])
    assert "2 consultation(s) de plus de 365 jours supprimées" in done.output
    system()
    assert db.session.scalar(select(func.count(AccessLog.id))) == 1
    custom = runner.invoke(args=["rgpd", "purge-access-log", "--older-than-days", "0"])
    assert custom.exit_code != 0  # at least one day
