"""Active search: short queries, savoir-faire, the query kept in the URL, htmx swaps."""

from __future__ import annotations

import re

from sqlalchemy import select

from siae_app.models import Competency, Framework
from tests.frameworks.helpers import confirm, reac_bytes, upload
from tests.htmx import assert_swap_renders_page
from tests.site import text_of

HX = {"HX-Request": "true"}


def _base(world):
    return f"/s/{world.a.slug}/referentiels"


def test_a_one_letter_query_asks_for_more(world, client_for):
    client = client_for(world.a.member("eti"))
    for url in (f"{_base(world)}/?q=a", f"{_base(world)}/recherche?q=a"):
        html = text_of(client.get(url, headers=HX))
        assert "Tapez au moins 2 caractères." in html
        assert "ne contient « a »" not in html


def test_control_characters_in_the_query_are_refused_in_french(world, client_for):
    # Every query string is checked before the view (tests/test_query_strings.py): the
    # search never runs on a NUL byte.
    client = client_for(world.a.member("eti"))
    for url in (f"{_base(world)}/?q=se%00cu", f"{_base(world)}/recherche?q=se%00cu"):
        for headers in (HX, {}):
            r = client.get(url, headers=headers)
            assert r.status_code == 400
            assert "caractères invisibles non autorisés" in text_of(r)


def test_savoir_faire_are_searched(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    confirm(client, world.a.slug, upload(client, world.a.slug, "reac.txt", reac_bytes()).location)
    reac = session.scalar(select(Framework).where(Framework.code == "TP-00448"))
    comps = session.scalars(select(Competency).where(Competency.framework_id == reac.id)).all()
    titles = " ".join(c.title.casefold() for c in comps)
    # A savoir-faire whose words are in no competency title: found only by its savoir-faire.
    comp, item, words = next(
        (c, item, w)
        for c in comps
        for items in c.knowledge.values()
        for item in items
        if (w := [x for x in item.casefold().split() if len(x) > 6][:2])
        and len(w) == 2
        and not any(x in titles for x in w)
    )
    r = client.get(f"{_base(world)}/recherche", query_string={"q": " ".join(words)}, headers=HX)
    html = text_of(r)
    assert f"/competences/{comp.id}" in html
    assert f"Savoir-faire : {item}" in html


def test_the_query_is_in_the_url_and_the_page_renders_its_results(world, client_for):
    client = client_for(world.a.member("eti"))
    index = text_of(client.get(f"{_base(world)}/"))
    form = re.search(r'<form role="search"[^>]*>', index).group(0)
    assert f'hx-get="{_base(world)}/"' in form and 'hx-replace-url="true"' in form
    assert 'hx-history="false"' in index  # Back asks the server: box and results come back
    page = text_of(client.get(f"{_base(world)}/?q=securite"))
    assert 'id="q" name="q" value="securite"' in page
    assert "Compétence 1 : respecter les consignes de sécurité" in page
    # htmx restoring history (Back) gets the whole page, not the fragment.
    restored = text_of(
        client.get(
            f"{_base(world)}/?q=securite",
            headers={**HX, "HX-History-Restore-Request": "true"},
        )
    )
    assert "<html" in restored and 'value="securite"' in restored
    fw = world.a.framework
    inside = text_of(client.get(f"{_base(world)}/{fw.id}?q=equipements"))
    assert 'value="equipements"' in inside and "Critère 1.1 : porte les équipements" in inside


def test_active_search_swap_equals_a_full_render(world, client_for):
    client = client_for(world.a.member("eti"))
    base = _base(world)
    before = client.get(f"{base}/").get_data(as_text=True)
    fragment = client.get(f"{base}/?q=securite", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Compétence 1 : respecter" in fragment
    fresh = client.get(f"{base}/?q=securite").get_data(as_text=True)
    assert_swap_renders_page(
        before, fragment, "#search-results", fresh, swap="innerHTML", typed={"#q": "securite"}
    )
    # Inside one framework too.
    fw = world.a.framework
    before = client.get(f"{base}/{fw.id}").get_data(as_text=True)
    fragment = client.get(f"{base}/{fw.id}?q=porte", headers=HX).get_data(as_text=True)
    fresh = client.get(f"{base}/{fw.id}?q=porte").get_data(as_text=True)
    assert_swap_renders_page(
        before, fragment, "#search-results", fresh, swap="innerHTML", typed={"#q": "porte"}
    )
