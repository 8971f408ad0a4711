"""Tokens out of URLs (security review, finding 2): an invitation or reset link carries its
token after « # », which no browser sends; the server never sees it in a path, a query, a
Location header or a log, and the page lives at a token-free address."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from siae_app.extensions import db
from siae_app.models import Membership
from siae_app.models.base import utcnow
from siae_app.services.accounts import invitation_link, reset_link
from tests.factories import TEST_PASSWORD, UserFactory
from tests.links import open_link, split_link
from tests.site import text_of

GOOD = "Tomates-Cerises-Sous-Serre-88"


@pytest.fixture
def invited(world, session):
    user = UserFactory(email="jeton.neuf@example.org", password_hash=None)
    membership = Membership(
        structure_id=world.a.structure.id,
        user=user,
        roles=["eti"],
        is_active=False,
        invited_at=utcnow(),
    )
    session.add(membership)
    session.commit()
    return membership


def _links(app, membership):
    with app.test_request_context():
        return invitation_link(membership), reset_link(membership.user)


def _walk(client, method, url, data=None):
    """Follow redirects by hand: every (status, Location) the client is sent through."""
    seen = []
    response = client.open(url, method=method, data=data)
    while response.status_code in (301, 302, 303):
        seen.append((response.status_code, response.location))
        response = client.get(response.location)
    return response, seen


def test_links_carry_their_token_in_the_fragment_only(app, world, invited):
    pages = ("/invitation", "/mot-de-passe/reinitialiser")
    for link, page in zip(_links(app, world.a.member("eti")), pages, strict=True):
        parts = urlsplit(link)
        path, token = split_link(link)
        assert len(token) > 40 and parts.fragment == token
        assert parts.path == page == path and parts.query == ""


def test_the_token_in_a_path_is_no_page_anymore(app, client, invited):
    invitation, reset = _links(app, invited)
    # The token as the old links carried it, after the last « / » (now after « # »).
    invitation_token, reset_token = (re.split("[#/]", link)[-1] for link in (invitation, reset))
    for url in (f"/invitation/{invitation_token}", f"/mot-de-passe/reinitialiser/{reset_token}"):
        r = client.get(url)
        assert r.status_code == 404 and "Page introuvable" in text_of(r)
        assert client.post(url, data={"password": GOOD, "confirm": GOOD}).status_code == 404
    assert invited.user.password_hash is None


def test_accepting_an_invitation_never_puts_the_token_in_a_url(app, world, client, invited, caplog):
    caplog.set_level("DEBUG")
    link, _ = _links(app, invited)
    path, token = split_link(link)
    page, seen = _walk(client, "POST", f"{path}/ouvrir", {"code": token})
    assert seen == [(303, "/invitation")]
    assert page.status_code == 200 and "Bienvenue" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"
    assert token not in text_of(page)  # nor in the page (its hidden form starts empty)
    home, seen = _walk(client, "POST", "/invitation", {"password": GOOD, "confirm": GOOD})
    assert seen == [(302, f"/s/{world.a.slug}/")] and home.status_code == 200
    assert invited.is_active
    assert token not in caplog.text


def test_a_password_reset_never_puts_the_token_in_a_url(app, world, client, caplog):
    caplog.set_level("DEBUG")
    user = world.a.member("eti").user
    _, link = _links(app, world.a.member("eti"))
    path, token = split_link(link)
    page, seen = _walk(client, "POST", f"{path}/ouvrir", {"code": token})
    assert seen == [(303, "/mot-de-passe/reinitialiser")]
    assert "Nouveau mot de passe" in text_of(page) and user.email in text_of(page)
    assert token not in text_of(page)
    _, seen = _walk(client, "POST", path, {"password": GOOD, "confirm": GOOD})
    assert all(token not in where for _, where in seen)
    assert token not in caplog.text


def test_an_existing_account_signs_in_and_comes_back_to_a_token_free_page(app, world, client):
    person = world.b.member("cip")
    membership = Membership(
        structure_id=world.a.structure.id, user=person.user, roles=["cip"], is_active=False,
        invited_at=utcnow(),
    )  # fmt: skip
    db.session.add(membership)
    db.session.commit()
    link, _ = _links(app, membership)
    path = open_link(client, link)
    r = client.post(
        f"/connexion?suite={path}", data={"email": person.user.email, "password": TEST_PASSWORD}
    )
    assert r.status_code == 302 and r.location == "/invitation"
    assert "Accepter" in text_of(client.get("/invitation"))
    # Only that page is followed after sign-in: not a path that would carry a token.
    other = app.test_client()
    r = other.post(
        f"/connexion?suite=/invitation/{split_link(link)[1]}",
        data={"email": person.user.email, "password": TEST_PASSWORD},
    )
    assert "/invitation" not in r.location


def test_without_javascript_the_person_pastes_the_link(app, client, invited):
    page = client.get("/invitation")
    html = text_of(page)
    assert page.status_code == 200
    assert "collez ici le lien reçu par courriel" in html
    assert 'name="code"' in html and "js/link_code.js?v=" in html
    empty = client.post("/invitation/ouvrir", data={"code": "  "})
    assert empty.status_code == 422 and "Ce champ est obligatoire." in text_of(empty)
    link, _ = _links(app, invited)
    r = client.post("/invitation/ouvrir", data={"code": f" {link} "})  # the whole link pasted
    assert r.status_code == 303 and r.location == "/invitation"
    assert "Bienvenue" in text_of(client.get("/invitation"))
    # A newer link opened in the same tab replaces the one kept: the page carries the form.
    assert "data-link-code" in text_of(client.get("/invitation"))


def test_the_page_script_takes_the_token_out_of_the_address_bar(app):
    text = (Path(app.static_folder) / "js" / "link_code.js").read_text(encoding="utf-8")
    assert "location.hash" in text and "history.replaceState" in text
    assert "form.submit()" in text
