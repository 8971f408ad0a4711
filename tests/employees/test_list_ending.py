"""« Fin de PASS ou de contrat dans N semaines »: exactly the salariés whose contract or PASS
(suspensions and prolongations included) ends in the window, paged, at a cost that does not
grow with the number of salariés."""

from __future__ import annotations

from datetime import date, timedelta

from siae_app.extensions import db
from tests import factories as f
from tests.employees.helpers import system, url
from tests.querycount import count_queries
from tests.site import text_of

TODAY = date.today()


def _salarie(site, name: str, *, contract_in=None, pass_in=None, suspended=0, prolonged=0):
    """A salarié whose CDDI ends in ``contract_in`` days (a year if None) and whose PASS's
    end date is in ``pass_in`` days (two years if None), then suspended ``suspended`` days
    (in the past) or prolonged ``prolonged`` months."""
    system()
    sid = site.structure.id
    employee = f.make_employee(sid, site.team, site.member("cip"), last_name=name)
    contract, the_pass = employee.contracts[0], employee.passes[0]
    contract.end_date = TODAY + timedelta(days=contract_in if contract_in is not None else 365)
    the_pass.end_date = TODAY + timedelta(days=pass_in if pass_in is not None else 700)
    if suspended:
        start = TODAY - timedelta(days=suspended + 10)
        f.PassSuspensionFactory(
            structure_id=sid,
            pass_id=the_pass.id,
            start_date=start,
            end_date=start + timedelta(days=suspended - 1),
        )
    if prolonged:
        f.PassExtensionFactory(structure_id=sid, pass_id=the_pass.id, months=prolonged)
    db.session.commit()
    return employee


def _listed(client, site, weeks: int) -> str:
    return text_of(client.get(url(site, f"/?fin={weeks}")))


def test_the_exact_ends_decide_suspensions_and_prolongations_included(world, client_for):
    site = world.a
    _salarie(site, "Contrat", contract_in=20)
    # PASS ended 5 days ago, suspended 30 days: it now ends in 25 days.
    _salarie(site, "Suspendu", pass_in=-5, suspended=30)
    # PASS ends in 10 days but was prolonged 6 months: not in any window.
    _salarie(site, "Prolonge", pass_in=10, prolonged=6)
    # PASS ends in 14 days, suspended 60 days: in 74 days (12 weeks, not 4).
    _salarie(site, "Repousse", pass_in=14, suspended=60)
    # A contract that ended last month, a PASS expired 3 days ago: nothing ahead.
    _salarie(site, "Passe", contract_in=-30, pass_in=-3)
    client = client_for(site.member("cip"))
    four = _listed(client, site, 4)
    assert "2 salariés" in four
    assert "CONTRAT" in four and "SUSPENDU" in four
    assert "PROLONGE" not in four and "REPOUSSE" not in four and "PASSE" not in four
    twelve = _listed(client, site, 12)
    assert "3 salariés" in twelve and "REPOUSSE" in twelve and "PROLONGE" not in twelve
    assert twelve.count("Échéance proche") == 3
    # The other structure's salariés never count.
    assert world.b.employee.last_name.upper() not in twelve


def test_the_filtered_list_pages_in_name_order(world, client_for):
    site = world.a
    for i in range(53):
        _salarie(site, f"Fin{i:02d}", contract_in=7)
    client = client_for(site.member("cip"))
    first = _listed(client, site, 4)
    assert "53 salariés" in first and "Page 1 sur 2" in first
    assert first.count('<li class="card') == 50
    assert "FIN00" in first and "FIN49" in first and "FIN50" not in first
    second = text_of(client.get(url(site, "/?fin=4&page=2")))
    assert second.count('<li class="card') == 3 and "Page 2 sur 2" in second
    assert "FIN50" in second and "FIN52" in second and "FIN00" not in second
    beyond = text_of(client.get(url(site, "/?fin=4&page=7")))
    assert beyond.count('<li class="card') == 3 and "FIN52" in beyond


def test_the_filtered_list_costs_the_same_for_3_or_30_salaries(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))

    def measure():
        db.session.expire_all()
        with count_queries() as counter:
            page = _listed(client, site, 8)
        return counter.count, page

    for i in range(3):
        _salarie(site, f"Court{i}", contract_in=10, suspended=5)
    measure()  # warm: the sign-in path's caches
    few, page = measure()
    assert "3 salariés" in page
    for i in range(27):
        _salarie(site, f"Long{i}", pass_in=20, suspended=3, prolonged=2 if i % 2 else 0)
    many, page = measure()
    # Those prolonged two months end after 8 weeks; the others are listed.
    assert "17 salariés" in page
    assert many == few
