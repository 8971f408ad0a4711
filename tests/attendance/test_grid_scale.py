"""The month grid and the monthly export at scale: the grid is paged (its salariés and their
marks read per page, the totals of the whole structure or team in one aggregate query), the
export reads per-salarié totals from SQL and writes its rows as they come. Query counts do
not grow with the number of salariés; the exported numbers are those of the marks one by one.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from cachelib import SimpleCache
from openpyxl import load_workbook
from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Employee, Team
from siae_app.models.attendance import ABSENCE_MOTIFS
from siae_app.permissions import scopes
from siae_app.services import attendance as service
from siae_app.services.exports import csv_chunks, csv_text, xlsx_bytes, xlsx_streamed
from siae_app.services.funding import figures_cache
from tests.factories.attendance import AttendanceFactory
from tests.factories.employees import EmployeeFactory
from tests.querycount import count_queries
from tests.site import text_of

MARCH = date(2025, 3, 1)
GRID = "/s/alpha/presences/grille?vue=mois&date=2025-03-10"
P, A = "present", "absent"


def _person(site, team, last_name, first_name="Alex"):
    return EmployeeFactory(
        structure_id=site.structure.id,
        team_id=team.id if team else None,
        last_name=last_name,
        first_name=first_name,
    )


def _marks(site, employee, team, marks):
    """Stored marks: (day of March 2025 or a date, hours, status, motif, late minutes)."""
    for day, hours, status, motif, late in marks:
        AttendanceFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            team_id=team.id,
            day=day if isinstance(day, date) else MARCH.replace(day=day),
            hours_worked=Decimal(hours),
            status=status,
            motif=motif,
            late_minutes=late,
        )


@pytest.fixture
def march(world, session):
    """A hand-built March 2025 in structure A (teams Nord and Sud):

    MOVER, in Sud now, worked in Nord first: 03 7 h · 04 late 30 min 6,5 h · 05 absent
      formation (planned), then in Sud: 24 7 h · 25 absent injustifiée · 26 left early 4 h
      ⇒ 24,5 h, 4 days, 2 absences, rate 4 / (6 − 1) = 80 %.
    RETARD, Nord: 03 late 90 min 5,5 h · 10 congé · 11 maladie · 12 rendez-vous partenaire ·
      13 7 h · 31 7 h (28/02 and 01/04 outside) ⇒ 19,5 h, 3 days, 3 absences,
      rate 3 / (6 − 2) = 75 %.
    PREVU, Nord: 17 congé · 18 PMSMP, nothing due ⇒ 0 h, no rate.
    SANSMARQUE, Nord: no mark.
    Structure B has marks in March: never counted in A.
    """
    site = world.a
    nord, sud = site.team, site.other_team
    mover = _person(site, sud, "Mover")
    _marks(
        site,
        mover,
        nord,
        [(3, "7", P, None, None), (4, "6.5", "late", None, 30), (5, "0", A, "formation", None)],
    )
    _marks(
        site,
        mover,
        sud,
        [
            (24, "7", P, None, None),
            (25, "0", A, "injustifiee", None),
            (26, "4", "left_early", None, None),
        ],
    )
    late = _person(site, nord, "Retard")
    _marks(
        site,
        late,
        nord,
        [
            (date(2025, 2, 28), "8", P, None, None),
            (3, "5.5", "late", None, 90),
            (10, "0", A, "conge", None),
            (11, "0", A, "maladie", None),
            (12, "0", A, "rdv_partenaire", None),
            (13, "7", P, None, None),
            (31, "7", P, None, None),
            (date(2025, 4, 1), "8", P, None, None),
        ],
    )
    planned = _person(site, nord, "Prevu")
    _marks(site, planned, nord, [(17, "0", A, "conge", None), (18, "0", A, "pmsmp", None)])
    _person(site, nord, "Sansmarque")
    b = world.b
    _marks(b, _person(b, b.team, "Mover"), b.team, [(24, "9", P, None, None)])
    session.commit()
    return site


def _old_rows(session, site, team=None) -> list[list]:
    """The export's rows computed the way it was before: every mark of the month read one by
    one into each salarié's totals (``service.grid``)."""
    start, end = service.month_of(MARCH)
    with tenancy.tenant_scope(session, site.structure.id):
        stmt = scopes.employees(site.member("coordinator"))
        if team is not None:
            stmt = service.team_members_stmt(stmt, team.id, start, end)
        month = service.grid(session, stmt, start, end, team.id if team else None)
        names = dict(session.execute(select(Team.id, Team.name)).tuples().all())
    rows = []
    for line in month.lines:
        t = line.totals
        rows.append(
            [
                line.employee.last_name.upper(),
                line.employee.first_name,
                names.get(line.employee.team_id, ""),
                t.hours,
                t.present_days,
                t.absent_days,
                *(t.absences.get(m, 0) for m in ABSENCE_MOTIFS),
                "" if t.rate is None else t.rate,
            ]
        )
    return rows


def _query(team=None) -> str:
    return "mois=2025-03" + (f"&equipe={team.id}" if team else "")


@pytest.mark.parametrize("which", ["all", "nord", "sud"])
def test_the_export_equals_the_totals_of_the_marks_one_by_one(march, session, client_for, which):
    team = {"all": None, "nord": march.team, "sud": march.other_team}[which]
    client = client_for(march.member("coordinator"))
    old = _old_rows(session, march, team)
    assert len(old) >= 2
    answer = client.get(f"/s/alpha/presences/export.csv?{_query(team)}")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "heures-2025-03" in answer.headers["Content-Disposition"]
    assert answer.get_data(as_text=True) == csv_text(service.EXPORT_HEADER, old)
    answer = client.get(f"/s/alpha/presences/export.xlsx?{_query(team)}")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    assert sheet.title == "Heures" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    found = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert found[0] == service.EXPORT_HEADER
    as_cells = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in old]
    assert [[("" if v is None else v) for v in row] for row in found[1:]] == as_cells


def test_the_hand_computed_figures(march, client_for):
    client = client_for(march.member("coordinator"))
    text = client.get(f"/s/alpha/presences/export.csv?{_query()}").get_data(as_text=True)
    rows = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    # maladie, justifiée, injustifiée, congé, formation, rendez-vous partenaire, PMSMP
    assert rows["MOVER"][2:] == ["Équipe Sud alpha", "24,50", "4", "2"] + list("0010100") + ["80"]
    assert rows["RETARD"][3:] == ["19,50", "3", "3"] + list("1001010") + ["75"]
    assert rows["PREVU"][3:] == ["0,00", "0", "2"] + list("0001001") + [""]
    assert rows["SANSMARQUE"][3:] == ["0,00", "0", "0"] + list("0000000") + [""]
    nord = client.get(f"/s/alpha/presences/export.csv?{_query(march.team)}").get_data(as_text=True)
    rows = {r[0]: r for r in csv.reader(io.StringIO(nord.lstrip("\ufeff")), delimiter=";")}
    # MOVER in Nord: 7 + 6,5 = 13,5 h, 2 days, 1 absence (formation, not due): 100 %.
    assert rows["MOVER"][3:] == ["13,50", "2", "1"] + list("0000100") + ["100"]


def test_the_csv_is_written_row_by_row_and_the_xlsx_in_write_only_mode():
    rows = [["=DUPONT", "Léa", "", Decimal("7.50"), 1, 0, "", None], ["B", "C", "D", 1, 2, 3]]
    chunks = csv_chunks(["Nom", "Prénom"], iter(rows))
    assert next(chunks) == "\ufeffNom;Prénom\r\n"
    assert next(chunks) == "'=DUPONT;Léa;;7,50;1;0;;\r\n"
    assert "".join(chunks) == "B;C;D;1;2;3\r\n"
    assert "".join(csv_chunks(["Nom"], rows)) == csv_text(["Nom"], rows)
    old = load_workbook(io.BytesIO(xlsx_bytes("Heures", ["Nom"], rows))).active
    new = load_workbook(io.BytesIO(xlsx_streamed("Heures", ["Nom"], iter(rows)))).active
    assert list(new.iter_rows(values_only=True)) == list(old.iter_rows(values_only=True))
    assert new.title == old.title and new.freeze_panes == old.freeze_panes == "A2"
    assert new["A1"].font.bold and new["A2"].value == "'=DUPONT"


def _lines(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a [^>]*>(.*?)</a></th>', html)


def _totals(html: str) -> dict[str, str]:
    block = html.split('<dl class="facts att-totals">', 1)[1].split("</dl>", 1)[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block))


def _names_in_order(session, site) -> list[str]:
    with tenancy.tenant_scope(session, site.structure.id):
        people = session.scalars(
            select(Employee)
            .where(Employee.structure_id == site.structure.id)
            .order_by(Employee.last_name, Employee.first_name, Employee.id)
        ).all()
        return [e.display_name for e in people]


# Structure A in March: MOVER 24,5 + RETARD 19,5 = 44 h; 4 + 3 = 7 days; absences formation,
# injustifiée, congé ×2, maladie, rendez-vous partenaire, PMSMP; due 7 + 7 − 5 planned = 9:
# rate 7 / 9 = 77,8 → 78 %.
STRUCTURE_MARCH = {
    "Heures travaillées": "44 h",
    "Jours de présence": "7",
    "Absences": "Maladie : 1 · Absence injustifiée : 1 · Congé : 2 · Formation : 1 · "
    "Rendez-vous partenaire : 1 · PMSMP : 1",
    "Taux d'assiduité": "78 %",
}


def test_pages_show_their_salaries_and_the_whole_structure_totals(
    march, session, client_for, monkeypatch
):
    monkeypatch.setattr(service, "GRID_PAGE_SIZE", 2)
    names = _names_in_order(session, march)
    assert len(names) == 6  # NORDALPHA, SUDALPHA and the four of March
    client = client_for(march.member("coordinator"))
    pages = [text_of(client.get(f"{GRID}&page={n}")) for n in (1, 2, 3)]
    assert [_lines(p) for p in pages] == [names[0:2], names[2:4], names[4:6]]
    for page in pages:
        assert _totals(page) == STRUCTURE_MARCH
    assert "Page 2 sur 3" in pages[1]
    nav = pages[1].split('<nav class="pager" aria-label="Pages de la grille">', 1)[1]
    nav = nav.split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert len(links) == 2
    for link, page in zip(links, ("1", "3"), strict=True):
        assert "vue=mois" in link and "date=2025-03-10" in link and f"page={page}" in link
    assert "← Précédents" in nav and "Suivants →" in nav
    monkeypatch.setattr(service, "GRID_PAGE_SIZE", 6)
    single = text_of(client.get(GRID))
    assert _lines(single) == names and "Pages de la grille" not in single


def test_a_page_past_the_last_shows_the_last_and_a_bad_number_the_first(
    march, session, client_for, monkeypatch
):
    monkeypatch.setattr(service, "GRID_PAGE_SIZE", 4)
    names = _names_in_order(session, march)
    client = client_for(march.member("coordinator"))
    last = text_of(client.get(f"{GRID}&page=99"))
    assert "Page 2 sur 2" in last and _lines(last) == names[4:]
    assert "Suivants →" not in last
    for bad in ("abc", "0", "-1", "99999999999"):
        first = text_of(client.get(f"{GRID}&page={bad}"))
        assert "Page 1 sur 2" in first and _lines(first) == names[:4]


def test_the_team_filter_pages_the_team_with_the_team_totals(
    march, session, client_for, monkeypatch
):
    monkeypatch.setattr(service, "GRID_PAGE_SIZE", 2)
    client = client_for(march.member("cip"))
    url = f"{GRID}&equipe={march.team.id}"
    # Nord in March: MOVER (worked there), NORDALPHA, PREVU, RETARD, SANSMARQUE, by name.
    first, second = (text_of(client.get(f"{url}&page={n}")) for n in (1, 2))
    assert [n.split()[0] for n in _lines(first) + _lines(second)] == [
        "MOVER",
        "NORDALPHA",
        "PREVU",
        "RETARD",
    ]
    assert "Page 1 sur 3" in first
    assert f"equipe={march.team.id}" in first.split('aria-label="Pages de la grille"', 1)[1]
    # Nord: MOVER 13,5 + RETARD 19,5 = 33 h; 2 + 3 = 5 days; due 5 + 6 − 5 planned = 6:
    # rate 5 / 6 = 83,3 → 83 %.
    expected = {
        "Heures travaillées": "33 h",
        "Jours de présence": "5",
        "Absences": "Maladie : 1 · Congé : 2 · Formation : 1 · Rendez-vous partenaire : 1 · "
        "PMSMP : 1",
        "Taux d'assiduité": "83 %",
    }
    assert _totals(first) == expected and _totals(second) == expected


def test_a_page_holds_at_most_fifty_lines(world, session, client_for):
    site = world.a
    for n in range(55):
        _person(site, site.team, f"Page{n:02d}")
    session.commit()
    client = client_for(site.member("coordinator"))
    first = text_of(client.get("/s/alpha/presences/grille?vue=mois"))
    assert len(_lines(first)) == 50
    assert "Page 1 sur 2" in first
    second = text_of(client.get("/s/alpha/presences/grille?vue=mois&page=2"))
    assert len(_lines(second)) == 57 - 50


def test_the_direction_reads_the_totals_without_reading_salaries(march, client_for):
    client = client_for(march.member("director"))
    page = text_of(client.get(f"{GRID}&page=2"))
    assert _totals(page) == STRUCTURE_MARCH
    assert "MOVER" not in page and "Pages de la grille" not in page


def _counts(client, urls) -> list[int]:
    found = []
    for url in urls:
        client.get(url)  # warm-up (first-request caches)
        with count_queries() as counter:
            answer = client.get(url)
            assert answer.status_code == 200
            answer.get_data()  # a streamed file is read inside the count
        found.append(counter.count)
    return found


def test_query_counts_do_not_grow_with_the_salaries(world, session, client_for, monkeypatch):
    monkeypatch.setattr(service, "GRID_PAGE_SIZE", 5)
    site = world.a
    client = client_for(site.member("coordinator"))
    urls = [
        "/s/alpha/presences/grille?vue=mois",
        "/s/alpha/presences/grille?vue=mois&page=2",
        f"/s/alpha/presences/grille?vue=mois&equipe={site.team.id}",
        "/s/alpha/presences/export.csv",
        "/s/alpha/presences/export.xlsx",
        f"/s/alpha/presences/export.csv?equipe={site.team.id}",
    ]
    today = date.today()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            employee = _person(site, site.team if i % 2 else site.other_team, f"Taille{i:02d}")
            _marks(
                site,
                employee,
                site.team,
                [(today.replace(day=1), "7", P, None, None)]
                + ([(today, "0", A, "maladie", None)] if today.day > 1 else []),
            )
        session.commit()

    add(1, 0)  # 3 salariés in A
    small = _counts(client, urls)
    add(27, 1)  # 30 salariés in A
    large = _counts(client, urls)
    assert large == small
    page = text_of(client.get(urls[0]))
    assert len(_lines(page)) == 5 and "Page 1 sur 6" in page


def test_the_totals_are_kept_until_a_mark_changes_them(
    app, march, session, client_for, monkeypatch
):
    """The whole structure's totals of a month (66,000 marks at 3,000 salariés) are added up
    once and kept under the structure's figures revision (production's Redis; here a memory
    cache, the suite running without one): the next pages do not add them up again, and a
    new mark shows at once."""
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, SimpleCache())
    client = client_for(march.member("coordinator"))
    assert _totals(text_of(client.get(GRID))) == STRUCTURE_MARCH
    with count_queries() as counter:
        page = text_of(client.get(f"{GRID}&page=1"))
    assert _totals(page) == STRUCTURE_MARCH
    assert not any("sum(attendances.hours_worked)" in sql.lower() for sql in counter.statements)
    unmarked = session.scalar(select(Employee).where(Employee.last_name == "Sansmarque"))
    _marks(march, unmarked, march.team, [(20, "7", P, None, None)])
    session.commit()
    moved = _totals(text_of(client.get(GRID)))
    assert (moved["Heures travaillées"], moved["Jours de présence"]) == ("51 h", "8")
