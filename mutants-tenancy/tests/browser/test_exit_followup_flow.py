"""« Situation à 6 mois » on a phone (390×844) and a wide screen: the demo's salarié who left
six months ago is on the coordination's alerts; their file's sortie section leads to the form,
which records the situation; every page is axe-clean with large enough targets."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

S = "/s/jardins-du-val"
SHOTS = ARTIFACTS  # git-ignored, in the repository


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_situation_six_months_after_is_asked_then_recorded(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{S}/alertes/")
    line = page.locator("li.alert-line", has_text="Situation à 6 mois à recueillir").first
    expect(line).to_be_visible()
    check_page(page, "alertes : situation à 6 mois")
    line.locator(".alert-who a").click()
    section = page.locator("section#sortie")
    expect(section).to_contain_text("Situation six mois après la sortie")
    expect(section).to_contain_text("à recueillir à partir du")
    section.scroll_into_view_if_needed()
    check_page(page, "fiche : situation à 6 mois à recueillir")
    section.get_by_role("link", name="Enregistrer la situation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Situation six mois après")
    check_page(page, "formulaire de la situation à 6 mois")
    _shot(page, "form-390")
    page.get_by_label("Situation recueillie le").fill(
        page.evaluate("new Date().toISOString().slice(0, 10)")
    )
    page.get_by_label("Situation", exact=True).select_option("injoignable")
    page.get_by_label("Commentaire (facultatif)").fill("Trois appels sans réponse.")
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_text("Situation à 6 mois enregistrée.")).to_be_visible()
    section = page.locator("section#sortie")
    expect(section).to_contain_text("Injoignable, recueillie le")
    section.scroll_into_view_if_needed()
    check_page(page, "fiche : situation à 6 mois enregistrée")
    section.screenshot(path=str(SHOTS / "file-section-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    section.get_by_role("link", name="Corriger la situation").click()
    check_page(page, "formulaire de la situation à 6 mois (large)")
    _shot(page, "form-corrected-1280")
