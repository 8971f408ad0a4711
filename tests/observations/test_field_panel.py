"""The roster's observation panel (the team's competencies, the most cited first) and the
ETI's « Mes observations du jour »."""

from __future__ import annotations

import html as html_text
import re
import uuid
from datetime import date, timedelta

from cachelib import SimpleCache

from siae_app.extensions import db
from siae_app.models import ObservationCompetency
from siae_app.services.funding import figures_cache
from tests.factories.observations import ObservationFactory
from tests.observations.test_observations import _link_framework as link_framework
from tests.querycount import count_queries
from tests.site import text_of


def _link_framework(site):
    link_framework(site)
    return list(site.framework.competencies)


def _cite(site, competency, times, team_id=None, on=None):
    for _ in range(times):
        obs = ObservationFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            author_id=site.member("eti").id,
            team_id=team_id or site.team.id,
            **({"observed_on": on} if on else {}),
        )
        db.session.add(
            ObservationCompetency(
                structure_id=site.structure.id, observation_id=obs.id, competency_id=competency.id
            )
        )
    db.session.commit()


def _panel(html: str, team_id) -> str:
    return re.search(
        rf'<dialog class="quick-panel obs-panel" id="obs-panel-{team_id}".*?</dialog>', html, re.S
    )[0]


def test_the_panel_offers_the_team_competencies_the_most_cited_first(world, client_for):
    site = world.a
    comps = _link_framework(site)
    assert len(comps) >= 3
    _cite(site, comps[2], 2)
    _cite(site, comps[1], 1)
    _cite(site, comps[0], 3, team_id=site.other_team.id)  # cited in another team: not counted
    long_ago = date.today() - timedelta(days=200)
    _cite(site, comps[0], 4, on=long_ago)  # cited most, but months ago: not counted
    html = client_for(site.member("eti")).get(f"/s/alpha/presences/equipes/{site.team.id}")
    panel = _panel(html.get_data(as_text=True), site.team.id)
    offered = re.findall(r'name="competency_ids" value="([0-9a-f-]+)"', panel)
    expected = [comps[2], comps[1]] + [c for c in comps if c not in (comps[1], comps[2])]
    assert offered == [str(c.id) for c in expected]
    assert (
        "Compétences citées (facultatif)" in panel
        and 'name="tone" value="neutral" checked' in panel
    )
    # the other structure's framework is not offered
    other = world.b.framework.competencies[0]
    assert str(other.id) not in panel


def test_a_team_without_framework_gets_the_panel_without_competencies(world, client_for):
    html = client_for(world.a.member("eti")).get(f"/s/alpha/presences/equipes/{world.a.team.id}")
    panel = _panel(html.get_data(as_text=True), world.a.team.id)
    assert "Ce que vous avez observé" in panel and "Compétences citées" not in panel


def test_roles_that_do_not_write_observations_get_no_panel(world, client_for):
    page = client_for(world.a.member("coordinator")).get(
        f"/s/alpha/presences/equipes/{world.a.team.id}"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "obs-panel" not in html and "Observation" not in html


def _home(client, slug="alpha") -> str:
    return client.get(f"/s/{slug}/").get_data(as_text=True)


def test_the_eti_home_lists_the_observations_written_today(world, client_for):
    site = world.a
    eti, cip = site.member("eti"), site.member("cip")

    def write(author, text, **kw):
        return ObservationFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            author_id=author.id,
            team_id=site.team.id,
            text=text,
            **kw,
        )

    write(eti, "Aujourd'hui : a guidé le nouvel arrivant.")
    write(eti, "Hier : en retard au dépôt.", observed_on=date.today() - timedelta(days=1))
    write(cip, "La CIP a noté un rendez-vous manqué.")
    write(eti, "Confidentiel du jour.", sensitive=True, tone="vigilance")
    db.session.commit()

    html = _home(client_for(eti))
    section = re.search(r'<section class="obs-today".*?</section>', html, re.S)[0]
    text = html_text.unescape(section)
    assert "Mes observations du jour" in text
    assert "a guidé le nouvel arrivant" in text and site.employee.display_name in text
    assert "Hier" not in text and "rendez-vous manqué" not in text
    inside = " ".join(re.findall(r"<div data-sensitive>(.*?)</div>", section, re.S))
    assert "Confidentiel du jour." in inside
    assert "Confidentiel du jour." not in re.sub(
        r"<div data-sensitive>.*?</div>", "", section, flags=re.S
    )
    assert f'href="/s/alpha/salaries/{site.employee.id}/observations"' in section

    cip_home = html_text.unescape(_home(client_for(cip)))
    assert "rendez-vous manqué" in cip_home and "a guidé le nouvel arrivant" not in cip_home
    empty = html_text.unescape(_home(client_for(world.b.member("eti")), world.b.slug))
    assert "Mes observations du jour" in empty and "Aucune observation aujourd'hui" in empty
    assert "Mes observations du jour" not in _home(client_for(site.member("director")))


def test_a_record_sent_from_the_phone_s_queue_leaves_no_message_for_later(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    url = f"/s/alpha/salaries/{site.employee.id}/observations"
    form = {"record_id": str(uuid.uuid4()), "text": "Envoyé depuis la file du téléphone."}
    answer = client.post(url, data=form, headers={"X-Offline-Replay": "1"})
    assert answer.status_code == 303
    assert "Observation enregistrée." not in text_of(client.get("/s/alpha/"))
    form["record_id"] = str(uuid.uuid4())
    client.post(url, data=form)  # from the page itself, the message is shown
    assert "Observation enregistrée." in text_of(client.get(url))


def _offered(client, team_id) -> list[str]:
    html = client.get(f"/s/alpha/presences/equipes/{team_id}").get_data(as_text=True)
    return re.findall(r'name="competency_ids" value="([0-9a-f-]+)"', _panel(html, team_id))


def test_the_citations_are_counted_once_in_ten_minutes_per_team(
    app, world, client_for, monkeypatch
):
    """The panel's order comes from the team's citations of the last three months, kept ten
    minutes (production's Redis; here a memory cache, the suite running without one): the
    team's next rosters do not count them again, and a new citation moves the order when the
    count is renewed."""
    store = SimpleCache()
    monkeypatch.setitem(app.extensions, figures_cache.EXTENSION, store)
    site = world.a
    comps = _link_framework(site)
    _cite(site, comps[2], 2)
    client = client_for(site.member("eti"))
    assert _offered(client, site.team.id)[0] == str(comps[2].id)
    key = f"citations:{site.team.id}:{date.today().isoformat()}"
    assert store.get(key) == {comps[2].id: 2}
    with count_queries() as counter:
        again = _offered(client, site.team.id)
    assert again[0] == str(comps[2].id)
    assert not any("observation_competencies" in sql for sql in counter.statements)
    _cite(site, comps[1], 3)
    assert _offered(client, site.team.id)[0] == str(comps[2].id)  # within the ten minutes
    store.delete(key)  # the ten minutes have passed
    assert _offered(client, site.team.id)[:2] == [str(comps[1].id), str(comps[2].id)]
