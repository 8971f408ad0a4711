"""htmx swaps of other features, checked against a fresh full render (see tests/htmx.py)."""

from __future__ import annotations

from tests.htmx import assert_swap_renders_page, normalised, swapped

HX = {"HX-Request": "true"}


def test_members_active_search_swap_equals_a_full_render(world, client_for):
    client = client_for(world.a.member("admin"))
    url = f"/s/{world.a.slug}/administration/membres"
    before = client.get(url).get_data(as_text=True)
    fragment = client.get(f"{url}?q=cible", headers=HX).get_data(as_text=True)
    assert "cible.alpha@example.org" in fragment and "<html" not in fragment
    fresh = client.get(f"{url}?q=cible").get_data(as_text=True)
    assert_swap_renders_page(
        before, fragment, "#member-rows", fresh, swap="innerHTML", typed={"#q": "cible"}
    )


def test_the_swap_helper_sees_a_difference(world, client_for):
    """A fragment that does not match the page's render is reported."""
    client = client_for(world.a.member("admin"))
    url = f"/s/{world.a.slug}/administration/membres"
    before = client.get(url).get_data(as_text=True)
    page = swapped(before, "<p>Autre chose</p>", "#member-rows", swap="innerHTML")
    assert normalised(page) != normalised(before)
    try:
        assert_swap_renders_page(
            before, "<p>Autre chose</p>", "#member-rows", before, swap="innerHTML"
        )
    except AssertionError as exc:
        assert "diffère d'un rendu complet" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("la différence aurait dû être signalée")
