"""The alerts page's lines: the same lines and figures as the rules give, kept between requests
under the structure's figures revision (never stale: a commit changing the data moves it, a
snooze shows at once), in a fixed number of queries whatever the number of salariés."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from cachelib import SimpleCache

from siae_app import tenancy
from siae_app.models import AlertSnooze
from siae_app.services import alert_lines
from siae_app.services.alerts import lines, load_inputs, tally, tally_of
from siae_app.services.funding import figures_cache, revision
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.querycount import count_queries
from tests.site import text_of


@pytest.fixture
def cached(app, monkeypatch):
    """A fresh in-memory cache for this test (the suite runs without one)."""
    store = SimpleCache()
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, store)
    return store


def _varied(site, n: int = 4) -> list:
    """Salariés of the CIP with late actions, an ending contract, a PASS expired."""
    today = date.today()
    made = []
    for i in range(n):
        employee = f.make_employee(
            site.structure.id, site.team, site.member("cip"), last_name=f"Varie{i}"
        )
        for days in range(i):
            f.ActionFactory(
                structure_id=site.structure.id,
                employee_id=employee.id,
                due_date=today - timedelta(days=days + 1),
            )
        if i % 2:
            employee.contracts[0].end_date = today + timedelta(days=10 * i)
        else:
            employee.passes[0].end_date = today - timedelta(days=3)
        made.append(employee)
    return made


def _absent(site, employee, days: int, motif: str = "injustifiee") -> None:
    """``days`` absences in a row, up to today."""
    for back in range(days - 1, -1, -1):
        AttendanceFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            team_id=site.team.id,
            day=date.today() - timedelta(days=back),
            status="absent",
            motif=motif,
            hours_worked=0,
        )


def _page(client, url: str) -> str:
    """The page without its CSRF tokens (signed with the time)."""
    html = text_of(client.get(url))
    return re.sub(r'(csrf_token" value="|X-CSRFToken": ")[^"]*', r"\1", html)


def _as_seen(found) -> list[tuple]:
    return [
        (line.employee.id, line.employee.display_name, [(a.kind, a.message) for a in line.alerts])
        for line in found
    ]


def _both(session, member, today):
    """(the rules' lines and tallies, the page's ones) for ``member``."""
    with tenancy.tenant_scope(session, member.structure_id):
        expected = lines(load_inputs(session, member, today), today)
        page = alert_lines.current(session, member, today)
        return (
            (_as_seen(expected), tally(expected)),
            (_as_seen(page.page(0, len(page))), tally_of(page.totals)),
        )


@pytest.mark.parametrize("role", ["cip", "coordinator"])
def test_the_same_lines_and_figures_as_the_rules_with_or_without_the_cache(
    world, session, app, monkeypatch, role
):
    site = world.a
    _varied(site)
    session.add(
        AlertSnooze(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            kind="rendez_vous",
            until=date.today() + timedelta(days=7),
        )
    )
    session.commit()
    member = site.member(role)
    expected, page = _both(session, member, date.today())
    assert expected[0] and page == expected  # not kept (the suite runs without a cache)
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, SimpleCache())
    assert _both(session, member, date.today())[1] == expected  # computed and kept
    assert _both(session, member, date.today())[1] == expected  # read back


@pytest.mark.parametrize("role", ["cip", "coordinator"])
def test_inputs_read_by_ids_or_through_the_scope_give_the_same_lines(
    world, session, monkeypatch, role
):
    """A few salariés' inputs are read by their ids, many through the scope's subquery: the
    two ways give the same lines (the suite's structures are small: the second is forced)."""
    from siae_app.services import alerts

    site = world.a
    for employee in _varied(site):
        _absent(site, employee, 3)
    session.commit()
    member, today = site.member(role), date.today()
    with tenancy.tenant_scope(session, member.structure_id):
        by_ids = _as_seen(lines(load_inputs(session, member, today), today))
        monkeypatch.setattr(alerts, "FEW", 0)
        through_scope = _as_seen(lines(load_inputs(session, member, today), today))
    assert len(by_ids) >= 4 and any("absences" in str(line) for line in by_ids)
    assert by_ids == through_scope


@pytest.mark.parametrize("role", ["cip", "coordinator"])
def test_the_absences_read_apart_give_the_rules_lines(world, session, app, monkeypatch, role):
    """The absences are read at each request and added to the kept lines: the same lines and
    figures as the rules, a salarié gone before today left out, a snoozed kind hidden."""
    site = world.a
    varied = _varied(site)
    _absent(site, site.employee, 3)
    _absent(site, varied[1], 5)
    _absent(site, varied[2], 4)
    _absent(site, varied[3], 2)  # not yet a run
    gone = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name="Parti")
    _absent(site, gone, 3)
    gone.exit_date = date.today() - timedelta(days=1)
    session.add(
        AlertSnooze(
            structure_id=site.structure.id,
            employee_id=varied[2].id,
            kind="absences",
            until=date.today() + timedelta(days=7),
        )
    )
    session.commit()
    member = site.member(role)
    expected, page = _both(session, member, date.today())
    shown = [(line[0], [kind for kind, _m in line[2]]) for line in expected[0]]
    assert {i for i, kinds in shown if "absences" in kinds} == {site.employee.id, varied[1].id}
    assert page == expected
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, SimpleCache())
    assert _both(session, member, date.today())[1] == expected  # computed and kept
    assert _both(session, member, date.today())[1] == expected  # read back


def test_a_mark_leaves_the_kept_lines_and_the_absences_show_at_once(
    world, client_for, session, cached
):
    """The ETIs' roll calls all morning: a mark moves the figures' revision, not the files'
    one the lines are kept under; the run of absences it makes or ends shows at once."""
    site = world.a
    structure_id = site.structure.id
    client = client_for(site.member("cip"))
    url = f"/s/{site.slug}/alertes/"
    with count_queries() as computed:
        first = _page(client, url)
    assert "absences injustifiées" not in first
    # What is kept reads no mark: one statement reads them, the absences' one.
    assert len([s for s in computed.statements if "attendances" in s]) == 1
    figures = revision.current(session, structure_id)
    files = revision.current(session, structure_id, revision.FILES)
    _absent(site, site.employee, 3)
    session.commit()
    assert revision.current(session, structure_id) > figures
    assert revision.current(session, structure_id, revision.FILES) == files
    with count_queries() as seen:
        html = _page(client, url)
    assert not [s for s in seen.statements if "FROM contracts" in s]  # the lines were kept
    line = html[html.index(f'id="alerte-{site.employee.id}"') :].split('<li class="card', 1)[0]
    assert "3 absences injustifiées consécutives" in line
    assert "1 série d'absences injustifiées" in html
    # A justified absence today ends the run: the page is the first one again.
    AttendanceFactory(
        structure_id=structure_id,
        employee_id=site.employee.id,
        team_id=site.team.id,
        day=date.today() + timedelta(days=1),
        status="absent",
        motif="maladie",
        hours_worked=0,
    )
    session.commit()
    assert _page(client, url) == first


def test_kept_lines_move_with_the_data_and_a_snooze_shows_at_once(
    world, client_for, session, cached
):
    site = world.a
    client = client_for(site.member("cip"))
    url = f"/s/{site.slug}/alertes/"
    first = _page(client, url)
    assert "2 salariés concernés" in first and "action en retard" not in first
    with count_queries() as kept:
        assert _page(client, url) == first
    assert not [s for s in kept.statements if "FROM contracts" in s]  # read from the cache
    # A late action entered (a commit: the revision moves): the page says it at once.
    f.ActionFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        due_date=date.today() - timedelta(days=2),
    )
    session.commit()
    html = text_of(client.get(url))
    assert "1 action en retard" in html
    # « Vu » does not move the revision: the line goes at once all the same, and the figures
    # count one line fewer.
    answer = client.post(f"{url}{site.employee.id}/vu", headers={"HX-Request": "true"})
    html = text_of(answer)
    assert answer.status_code == 200 and f'id="alerte-{site.employee.id}"' not in html
    assert "1 salarié concerné" in html and "action en retard" not in html
    html = text_of(client.get(url))
    assert f'id="alerte-{site.employee.id}"' not in html and "1 salarié concerné" in html


def test_kept_lines_are_the_persons_own(world, client_for, session, cached):
    """The coordination's lines (every salarié) are not a CIP's, nor another structure's."""
    site = world.a
    other_cip = f.MembershipFactory(
        structure=site.structure, roles=["cip"], user=f.UserFactory(email="cip2@example.org")
    )
    f.make_employee(site.structure.id, site.team, other_cip, last_name="Autrecip")
    session.commit()
    coordination = text_of(client_for(site.member("coordinator")).get(f"/s/{site.slug}/alertes/"))
    assert "AUTRECIP" in coordination and other_cip.user.full_name in coordination
    cip = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert "AUTRECIP" not in cip and site.employee.display_name in cip
    b = world.b
    other = text_of(client_for(b.member("coordinator")).get(f"/s/{b.slug}/alertes/"))
    assert b.employee.display_name in other and "AUTRECIP" not in other
    assert site.employee.display_name not in other


@pytest.mark.parametrize("role", ["cip", "coordinator"])
def test_queries_do_not_grow_with_the_salaries_computed_or_kept(
    world, client_for, session, cached, role
):
    site = world.a
    client = client_for(site.member(role))
    url = f"/s/{site.slug}/alertes/"

    def counts() -> tuple[int, int, int]:
        cached.clear()
        with count_queries() as computed:
            html = _page(client, url)
        with count_queries() as kept:
            assert _page(client, url) == html
        return computed.count, kept.count, int(re.search(r"(\d+) salariés? concernés?", html)[1])

    client.get(url)  # warm-up (seeds, session)
    computed, kept, shown = counts()
    assert kept < computed
    _varied(site, 6)
    session.commit()
    assert counts() == (computed, kept, shown + 6)


def test_kept_lines_go_sooner_than_the_dashboards_figures(world, client_for, cached, monkeypatch):
    """Each commit leaves the kept lines behind: they are not kept a day."""
    kept = []
    monkeypatch.setattr(cached, "set", lambda key, value, timeout=None: kept.append(timeout))
    site = world.a
    client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/")
    # The lines, and the absences' alerts read apart.
    assert kept == [alert_lines.KEPT_SECONDS] * 2 and kept[0] <= figures_cache.DAY_SECONDS / 12


@pytest.mark.parametrize("role", ["cip", "coordinator"])
def test_kept_lines_follow_each_change_salarie_by_salarie(world, session, app, monkeypatch, role):
    """After a commit that changed a few files, only those salariés' lines are computed again
    (the log of the files revision); a change whose salariés are not known (the structure's
    settings, a PASS prolongation) computes them all. Every time: the rules' lines."""
    site = world.a
    varied = _varied(site)
    session.commit()
    member = site.member(role)
    other_cip = f.MembershipFactory(
        structure=site.structure, roles=["cip"], user=f.UserFactory(email="cip3@example.org")
    )
    session.commit()
    computed: list = []
    real = alert_lines._compute

    def spy(session_, membership, today, employee_ids=None):
        computed.append(None if employee_ids is None else {str(i) for i in employee_ids})
        return real(session_, membership, today, employee_ids)

    monkeypatch.setattr(alert_lines, "_compute", spy)
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, SimpleCache())
    today = date.today()

    def step() -> list:
        computed.clear()
        expected, page = _both(session, member, today)
        assert page == expected
        return list(computed)

    with app.app_context():
        assert step() == [None]  # computed once…
        assert step() == []  # …then kept
        late = f.ActionFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            due_date=today - timedelta(days=4),
        )
        session.commit()
        assert step() == [{str(site.employee.id)}]
        varied[1].contracts[0].end_date = today + timedelta(days=5)
        session.delete(late)
        session.commit()
        assert step() == [{str(varied[1].id), str(site.employee.id)}]
        varied[2].referent_id = other_cip.id  # no longer this CIP's
        varied[3].exit_date = today - timedelta(days=400)  # gone long ago
        session.commit()
        assert step() == [{str(varied[2].id), str(varied[3].id)}]
        f.PassExtensionFactory(
            structure_id=site.structure.id,
            pass_id=varied[0].passes[0].id,
            months=6,
            decided_on=today,
        )
        session.commit()
        assert step() in ([None], [{str(varied[0].id)}])  # a PASS's row names its salarié
        site.structure.renewal_notice_months = 3
        session.commit()
        assert step() == [None]
        assert step() == []


def test_a_message_repeated_from_line_to_line_is_kept_once(world, session):
    """The kept lines hold each repeated message and référent id as one string: the cache
    stores it once (the coordination's lines at 3,000 salariés are a third as large)."""
    import pickle

    site = world.a
    _varied(site)
    session.commit()
    member, today = site.member("coordinator"), date.today()
    with tenancy.tenant_scope(session, member.structure_id):
        rows, totals = alert_lines._compute(session, member, today).plain()
    # Written for each salarié (« … 120 jours après l'arrivée »), not a constant of the code.
    messages = [a[2] for row in rows for a in row[4] if a[0] == "diagnostic"]
    referent = str(site.member("cip").id)
    assert len(messages) >= 4 and len(set(messages)) == 1
    assert sum(row[2] == referent for row in rows) >= 4
    kept = pickle.dumps((1, rows, totals))
    assert kept.count(messages[0].encode()) == 1
    assert kept.count(referent.encode()) == 1
