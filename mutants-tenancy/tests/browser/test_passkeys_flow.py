"""A direction account on a phone adds a passkey in « Mon compte » (a virtual authenticator of
Chromium, through the DevTools protocol), signs out, then signs in with its password and
« Utiliser une clé d'accès », without typing a code; axe-core on the pages passed through."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from siae_app.demo import DEMO_PASSWORD
from tests.browser.conftest import check_page, second_factor
from tests.browser.test_foundation_flow import sign_out

EMAIL = "direction.etabli@example.org"


def _password(page, base):
    page.goto(f"{base}/connexion")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_add_a_passkey_then_sign_in_with_it(page, live_server):
    # A relying party is a domain: the live server is reached as localhost, not 127.0.0.1.
    base = live_server.replace("127.0.0.1", "localhost")
    _authenticator(page)
    _password(page, base)
    second_factor(page, EMAIL, check_page)
    expect(page).to_have_url(re.compile(r"/s/recyclerie-etabli/$"))

    page.goto(f"{base}/compte")
    expect(page.get_by_role("heading", name="Clés d'accès (passkeys)")).to_be_visible()
    expect(page.get_by_text("Aucune clé d'accès.")).to_be_visible()
    expect(page.get_by_text("Ce navigateur ne prend pas en charge")).to_be_hidden()
    check_page(page, "account")
    page.get_by_role("button", name="Ajouter une clé d'accès").click()
    expect(page.get_by_text("Clé d'accès ajoutée")).to_be_visible()
    expect(page.get_by_text("jamais utilisée")).to_be_visible()
    check_page(page, "account with a passkey")
    sign_out(page)

    _password(page, base)
    expect(page).to_have_url(re.compile(r"/connexion/code$"))
    check_page(page, "code with a passkey")
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    expect(page).to_have_url(re.compile(r"/s/recyclerie-etabli/$"))

    page.goto(f"{base}/compte")
    expect(page.get_by_text(re.compile(r"utilisée le \d"))).to_be_visible()
    assert page.console_errors == []
