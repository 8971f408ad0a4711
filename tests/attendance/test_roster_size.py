"""A light roster: a row's markup stays small (the ETI's home lists every salarié of their
teams), and without script a row opened by ``?salarie=<id>`` keeps every form of the row."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import select

from siae_app.models import Attendance
from tests.factories.employees import make_employee

# Bytes of HTML one more salarié may add to the ETI's home.
ROW_BUDGET = 2048


def _home(client) -> bytes:
    answer = client.get("/s/alpha/presences/")
    assert answer.status_code == 200
    return answer.data


def test_the_eti_home_grows_by_at_most_2_kb_per_salarie(world, client_for, session):
    site = world.a
    client = client_for(site.member("eti"))
    sizes = {}
    for count in (5, 25):
        while _home(client).count(b'class="att-row') < count:
            make_employee(site.structure.id, site.team, last_name=f"Rang{count:02d}")
            session.commit()
        sizes[count] = len(_home(client))
    per_row = (sizes[25] - sizes[5]) / 20
    assert per_row <= ROW_BUDGET, f"{per_row:.0f} octets par salarié"


def _form_data(form) -> dict:
    return {i["name"]: i.get("value", "") for i in form.select("input[name]")}


def test_without_script_a_row_opened_by_its_link_has_its_forms_and_they_post(
    world, client_for, session
):
    site = world.a
    employee = site.employee
    client = client_for(site.member("eti"))
    home = BeautifulSoup(_home(client), "html.parser")
    row = home.select_one(f"#att-{employee.id}")
    # Closed, the row holds « Présent » only; « Absent » and « … » are links to it opened.
    assert row.select("form") and len(row.select("form")) == 1
    absent = row.select_one("a.att-absent-link")
    assert absent.get_text() == f"Absent : {employee.display_name}"
    assert absent["href"] == f"?salarie={employee.id}#att-{employee.id}"
    more = row.select_one("a.att-other")
    assert more["href"] == absent["href"]

    opened = BeautifulSoup(
        client.get("/s/alpha/presences/" + absent["href"]).data, "html.parser"
    ).select_one(f"#att-{employee.id}")
    motifs = opened.select("fieldset.att-motifs button[name=motif]")
    assert [b.get_text() for b in motifs][:2] == ["Maladie", "Absence justifiée"]
    assert opened.find("label", string="Retard (minutes)") is not None
    assert opened.find("label", string="Heures travaillées") is not None
    urgent = opened.select_one("a.danger")
    assert urgent["href"] == f"/s/alpha/urgences/salaries/{employee.id}/signaler"
    # Only that row is opened.
    assert (
        len(
            BeautifulSoup(client.get("/s/alpha/presences/").data, "html.parser").select(
                ".att-opened"
            )
        )
        == 0
    )

    # The absence with its motif, as the browser would send it.
    absent_form = motifs[0].find_parent("form")
    data = _form_data(absent_form) | {"motif": motifs[0]["value"]}
    answer = client.post(absent_form["action"], data=data)
    assert answer.status_code == 303
    (record,) = session.scalars(select(Attendance).where(Attendance.employee_id == employee.id))
    assert (record.status, record.motif) == ("absent", "maladie")

    # Then late by 30 minutes, from the row opened again (the record is updated).
    opened = BeautifulSoup(
        client.get("/s/alpha/presences/" + absent["href"]).data, "html.parser"
    ).select_one(f"#att-{employee.id}")
    detail = opened.select_one("form.att-detail")
    data = _form_data(detail) | {"status": "late", "late_minutes": "30"}
    assert client.post(detail["action"], data=data).status_code == 303
    session.expire_all()
    (record,) = session.scalars(select(Attendance).where(Attendance.employee_id == employee.id))
    # The hours field came filled with the contract's hours of the day: they are kept.
    assert (record.status, record.late_minutes, record.hours_worked) == (
        "late",
        30,
        Decimal("5.20"),
    )
    page = BeautifulSoup(_home(client), "html.parser")
    assert "30 min · 5,2 h" in page.select_one(f"#att-{employee.id}").get_text()


def test_a_row_with_an_error_is_opened_with_its_forms(world, client_for):
    site = world.a
    employee = site.employee
    client = client_for(site.member("eti"))
    url = f"/s/alpha/presences/equipes/{site.team.id}/marquer"
    home = BeautifulSoup(_home(client), "html.parser")
    present = home.select_one(f"#att-{employee.id} form")
    data = _form_data(present) | {"status": "absent"}  # no motif
    answer = client.post(url, data=data)
    assert answer.status_code == 422
    row = BeautifulSoup(answer.data, "html.parser").select_one(f"#att-{employee.id}")
    assert "Choisissez le motif de l'absence." in row.select_one(".error").get_text()
    assert row.select("fieldset.att-motifs button[name=motif]")


def test_beyond_a_number_of_salaries_today_lists_the_teams(world, client_for, monkeypatch):
    """The coordination of a large structure sees every team: « Aujourd'hui » then lists
    them with their counts, each roster one tap away, rather than megabytes of rows."""
    from siae_app.blueprints.attendance import views

    site = world.a
    client = client_for(site.member("coordinator"))
    page = BeautifulSoup(_home(client), "html.parser")
    assert page.select("li.att-row") and not page.select(".att-teams")
    monkeypatch.setattr(views, "ROWS_IN_FULL", 1)
    page = BeautifulSoup(_home(client), "html.parser")
    assert not page.select("li.att-row") and not page.select("dialog")
    line = page.select_one(".att-teams").find("a", string=site.team.name).parent
    assert line.select_one("a")["href"].startswith(f"/s/alpha/presences/equipes/{site.team.id}")
    assert "1 attendu·es · 0 pointé·es" in line.get_text()
