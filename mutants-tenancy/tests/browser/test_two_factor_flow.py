"""An administrator on a phone: enrols at first sign-in (QR code and the secret as text),
sees the recovery codes once, signs out, signs in with a code, then with a recovery code;
axe-core and 44 px targets on each page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from siae_app.demo import DEMO_PASSWORD
from tests.browser.conftest import TOTP_SECRETS, check_page, totp_code
from tests.browser.test_foundation_flow import sign_out

EMAIL = "admin.etabli@example.org"


def _password(page, base):
    page.goto(f"{base}/connexion")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_enrol_then_sign_in_with_a_code_and_a_recovery_code(page, live_server):
    _password(page, live_server)
    expect(page).to_have_url(re.compile(r"/connexion/activer-double-authentification$"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_page(page, "enrolment")
    secret = page.locator("[data-secret]").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", secret)
    TOTP_SECRETS[EMAIL] = secret.replace(" ", "")

    page.get_by_label("Code à 6 chiffres").fill("000000")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".form-alert")).to_contain_text("Code incorrect ou déjà utilisé")
    page.get_by_label("Code à 6 chiffres").fill(totp_code(EMAIL))
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check_page(page, "recovery codes")
    page.get_by_role("button", name="J'ai noté mes codes").click()
    expect(page).to_have_url(re.compile(r"/s/recyclerie-etabli/$"))
    sign_out(page)

    _password(page, live_server)
    expect(page).to_have_url(re.compile(r"/connexion/code$"))
    check_page(page, "code")
    page.get_by_label("Code à 6 chiffres").fill(totp_code(EMAIL))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/s/recyclerie-etabli/$"))
    sign_out(page)

    _password(page, live_server)
    page.get_by_role("link", name="Utiliser un code de secours").click()
    check_page(page, "recovery code")
    page.get_by_label("Code de secours").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/s/recyclerie-etabli/$"))
    expect(page.get_by_text("il vous en reste 9")).to_be_visible()

    page.goto(f"{live_server}/compte/sessions")
    expect(page.get_by_text("Cette session")).to_be_visible()
    check_page(page, "sessions")
    page.goto(f"{live_server}/compte")
    check_page(page, "account")
