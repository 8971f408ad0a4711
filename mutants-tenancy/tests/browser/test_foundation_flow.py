"""A person on a phone: sign in as the ETI, reach home, switch structure, sign out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from siae_app.demo import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, check_page, second_factor


def sign_in(page, base, email, go=True):
    if go:
        page.goto(f"{base}/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    second_factor(page, email)


def sign_out(page):
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()


def main_nav(page):
    """The main navigation, unfolded behind « Menu » on a phone."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.get_by_role("navigation", name="Navigation principale")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_eti_signs_in_on_a_phone_and_out(page, live_server):
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    check_page(page, "accueil ETI")
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Mes équipes")).to_be_visible()
    assert no_horizontal_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eti-home-390.png"), full_page=True)
    # hx-boost navigation to the team page: the link says the page's title.
    nav.get_by_role("link", name="Mes équipes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes équipes")
    expect(page).to_have_url(re.compile(r"/s/jardins-du-val/equipes/$"))
    check_page(page, "équipes ETI")
    page.locator(".card > a").first.click()
    expect(page.get_by_role("link", name="← Mes équipes")).to_be_visible()
    check_page(page, "équipe ETI")
    sign_out(page)
    check_page(page, "connexion après déconnexion")
    page.goto(f"{live_server}/s/jardins-du-val/")
    expect(page).to_have_url(re.compile(r"/connexion"))
    assert page.console_errors == []


def test_two_structure_user_switches_structure(page, live_server):
    sign_in(page, live_server, "multi.structures@example.org")
    expect(page.get_by_role("heading", name="Choisir une structure")).to_be_visible()
    check_page(page, "choix de structure")
    page.get_by_role("link", name="ACI Les Jardins du Val").click()
    expect(page.locator(".brand-structure")).to_have_text("ACI Les Jardins du Val")
    expect(main_nav(page).get_by_role("link", name="Mes équipes")).to_be_visible()
    page.locator("details.menu summary").click()
    page.get_by_role("link", name="Changer de structure").click()
    page.get_by_role("link", name="L'Établi, recyclerie solidaire").click()
    expect(page.locator(".brand-structure")).to_have_text("L'Établi, recyclerie solidaire")
    check_page(page, "accueil CIP")
    expect(main_nav(page).get_by_role("link", name="Équipes et activités")).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 740})
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "switch-360.png"), full_page=True)
    sign_out(page)
    assert page.console_errors == []


def test_wrong_password_keeps_email_and_explains(page, live_server):
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill("cip.etabli@example.org")
    page.get_by_label("Mot de passe", exact=True).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".form-alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("cip.etabli@example.org")
    check_page(page, "connexion refusée")
    # Keyboard: the first Tab on a page reaches the skip link.
    page.goto(f"{live_server}/connexion")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
