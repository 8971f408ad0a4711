"""Every query-string value gets the check a form field gets (no control character, a bounded
length) before any view reads it: a NUL byte in a search is a French 400, never a 500."""

from __future__ import annotations

import pytest

from tests.site import text_of

REFUSAL = "caractères invisibles non autorisés ou une valeur trop longue"


@pytest.mark.parametrize("role", ["coordinator", "eti", "director"])
@pytest.mark.parametrize("query", ["q=a%00b", "q=a%01b", "q=a%7Fb", "q%00=a", "q=" + "a" * 600])
def test_the_salaries_search_refuses_control_characters_and_huge_values(
    world, client_for, role, query
):
    client = client_for(world.a.member(role))
    response = client.get(f"/s/{world.a.slug}/salaries/?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert "Adresse invalide" in page and REFUSAL in page


def test_a_tab_and_accents_in_a_search_are_ordinary_text(world, client_for):
    client = client_for(world.a.member("coordinator"))
    response = client.get(f"/s/{world.a.slug}/salaries/?q=Jos%C3%A9%09Martin")
    assert response.status_code == 200
    page = text_of(response)
    assert 'value="José\tMartin"' in page and REFUSAL not in page


@pytest.mark.parametrize(
    "path",
    ["/verifier?code=AB%00CD", "/connexion?suite=%2Fs%00", "/connexion?session=expir%00ee"],
)
def test_signed_out_pages_refuse_control_characters_too(client, path):
    response = client.get(path)
    assert response.status_code == 400 and REFUSAL in text_of(response)


def test_every_structure_page_checks_its_query_string(app, world, client_for):
    """The check runs before the views, so no GET route of a structure answers 500 to it."""
    from tests.routes import build_path, structure_rules

    client = client_for(world.a.member("coordinator"))
    for rule in structure_rules(app):
        if "GET" not in (rule.methods or ()):
            continue
        path = build_path(app, rule, world.a)
        response = client.get(f"{path}?q=a%00b&mois=2026-0%001")
        assert response.status_code == 400, f"{path} -> {response.status_code}"
        assert REFUSAL in text_of(response), path


def test_a_control_character_in_the_structure_part_of_the_path_is_not_found(world, client_for):
    client = client_for(world.a.member("coordinator"))
    response = client.get("/s/jardins%00du-val/salaries/")
    assert response.status_code == 404 and "Page introuvable" in text_of(response)


def test_a_control_character_in_a_verification_code_is_not_found(client):
    response = client.get("/verifier/ABCDE%00FGHJK")
    assert response.status_code == 404 and "Aucune attestation" in text_of(response)
