"""The list: filters, active search (query in the URL), counts, query counts that do not grow."""

from __future__ import annotations

from datetime import date, timedelta

from siae_app import tenancy
from siae_app.extensions import db
from tests import factories as f
from tests.employees.helpers import file_url, system, url
from tests.querycount import count_queries
from tests.site import text_of


def _many(site, n: int, contracts_each: int = 1):
    system()
    for i in range(n):
        e = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=f"Lot{i}")
        for k in range(1, contracts_each):
            start = date.today() + timedelta(days=400 * k)
            f.ContractFactory(
                structure_id=site.structure.id,
                employee_id=e.id,
                start_date=start,
                end_date=start + timedelta(days=100),
            )
    db.session.commit()


def _measure(client, path):
    """Queries of one request, read afresh (the test shares the session with the app)."""
    db.session.expire_all()
    with count_queries() as counter:
        response = client.get(path)
    return response, counter


def test_counts_search_and_filters(world, client_for):
    client = client_for(world.a.member("cip"))
    html = text_of(client.get(url(world.a, "/")))
    assert "2 salariés" in html
    r = client.get(url(world.a, f"/?q={world.a.employee.last_name[:5].lower()}"))
    assert "1 salarié" in text_of(r)
    r = client.get(url(world.a, f"/?equipe={world.a.other_team.id}"))
    assert world.a.other_employee.last_name.upper() in text_of(r)
    assert world.a.employee.last_name.upper() not in text_of(r)
    r = client.get(url(world.a, f"/?referent={world.a.member('coordinator').id}"))
    assert "0 salarié" in text_of(r)


def test_active_search_answers_the_rows_fragment(world, client_for):
    client = client_for(world.a.member("cip"))
    r = client.get(url(world.a, "/?q=Sud"), headers={"HX-Request": "true"})
    html = text_of(r)
    assert "<html" not in html and "1 salarié" in html
    assert world.a.other_employee.last_name.upper() in html
    page = text_of(client.get(url(world.a, "/?q=Sud")))
    assert 'value="Sud"' in page and 'hx-push-url="true"' in page


def test_ending_within_weeks(world, client_for):
    system()
    soon = f.make_employee(world.a.structure.id, world.a.team, None, last_name="Bientot")
    soon.contracts[0].end_date = date.today() + timedelta(days=20)
    db.session.commit()
    client = client_for(world.a.member("cip"))
    html = text_of(client.get(url(world.a, "/?fin=4")))
    assert "1 salarié" in html and "BIENTOT" in html and "Échéance proche" in html


def test_list_queries_do_not_grow(world, client_for):
    client = client_for(world.a.member("cip"))
    client.get(url(world.a, "/"))
    _, few = _measure(client, url(world.a, "/"))
    _many(world.a, 25, contracts_each=3)
    r, many = _measure(client, url(world.a, "/"))
    assert "27 salariés" in text_of(r)
    assert many.count == few.count, many.statements
    print("list queries", many.count)


def test_list_queries_do_not_grow_with_the_referents(world, client_for):
    """The « Référent·e » filter names every CIP and coordinator: their names come with
    them (the membership's user is joined), not one query each."""
    client = client_for(world.a.member("cip"))
    path = url(world.a, "/")
    client.get(path)
    db.session.expunge_all()  # as in a request of its own: no person already loaded
    _, few = _measure(client, path)
    for n in range(4):
        person = f.UserFactory(first_name=f"Cip{n}", last_name="Supplémentaire")
        f.MembershipFactory(structure=world.a.structure, user=person, roles=["cip"])
    db.session.commit()
    db.session.expunge_all()
    r, many = _measure(client, path)
    assert "Cip3 Supplémentaire" in text_of(r)
    assert many.count == few.count, many.statements


def test_file_queries_do_not_grow(world, client_for):
    client = client_for(world.a.member("cip"))
    client.get(file_url(world.a))
    _, few = _measure(client, file_url(world.a))
    system()
    e = world.a.employee
    for k in range(1, 6):
        start = date.today() + timedelta(days=400 * k)
        f.ContractFactory(
            structure_id=world.a.structure.id,
            employee_id=e.id,
            start_date=start,
            end_date=start + timedelta(days=100),
        )
    p = e.passes[0]
    for k in range(4):
        start = p.start_date + timedelta(days=30 * k)
        f.PassSuspensionFactory(
            structure_id=world.a.structure.id,
            pass_id=p.id,
            start_date=start,
            end_date=start + timedelta(days=3),
        )
        f.PassExtensionFactory(structure_id=world.a.structure.id, pass_id=p.id)
    r, many = _measure(client, file_url(world.a))
    html = text_of(r)
    assert html.count("Renouveler / avenant") == 6 and html.count("Suspension du PASS IAE") == 4
    assert many.count == few.count, many.statements
    print("file queries", many.count)
    assert tenancy  # imported for symmetry with other modules


def test_pages_of_fifty(world, client_for):
    _many(world.a, 53)
    client = client_for(world.a.member("cip"))
    first = text_of(client.get(url(world.a, "/?statut=tous")))
    assert "55 salariés" in first and "Page 1 sur 2" in first
    assert first.count('<li class="card') == 50
    assert "statut=tous" in first.split("Suivants")[0].rsplit("href=", 1)[1]
    second = text_of(client.get(url(world.a, "/?statut=tous&page=2")))
    assert second.count('<li class="card') == 5 and "Page 2 sur 2" in second
    # A page past the last one (an old link) shows the last one, not an empty list.
    beyond = text_of(client.get(url(world.a, "/?statut=tous&page=99")))
    assert beyond.count('<li class="card') == 5 and "Page 2 sur 2" in beyond


def test_export_csv_is_safe_and_logged(world, client_for):
    system()
    f.make_employee(world.a.structure.id, world.a.team, None, last_name="=HYPERLINK(1)")
    client = client_for(world.a.member("director"))
    r = client.get(url(world.a, "/export.csv?statut=tous"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment;" in r.headers["Content-Disposition"]
    body = r.get_data(as_text=True)
    assert body.startswith("\ufeffNom;Nom d'usage;Prénom")
    assert "'=HYPERLINK(1)" in body
    assert world.a.other_employee.last_name in body and world.b.employee.last_name not in body
    from siae_app.models import AccessLog

    system()
    log = db.session.query(AccessLog).filter_by(part="export").one()
    assert log.membership_id == world.a.member("director").id and log.employee_id is None
    assert client_for(world.a.member("eti")).get(url(world.a, "/export.csv")).status_code == 403
