"""The director signs an attestation, anyone checks it signed out, the director revokes it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import main_nav, sign_in


def _public_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    return context, page


def test_director_signs_then_revokes_and_the_public_page_follows(page, browser, live_server):
    sign_in(page, live_server, "direction.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    main_nav(page).get_by_role("link", name="Attestations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attestations de compétences")
    check_page(page, "liste des attestations")
    to_sign = page.locator("section", has=page.get_by_role("heading", name="À signer"))
    to_sign.locator(".card a").first.click()
    expect(page.get_by_role("heading", name="Signer l'attestation")).to_be_visible()
    check_page(page, "attestation à signer")
    page.get_by_label("Lieu de signature (fait à)").fill("Saint-Jean-de-Braye")
    page.get_by_role("button", name="Signer l'attestation").click()
    expect(page.get_by_text("Attestation signée : son contenu est figé.")).to_be_visible()
    check_page(page, "attestation signée")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "attestation-signee-390.png"), full_page=True)
    link = page.locator("a[href*='/verifier/']").first
    verify_url = link.get_attribute("href")
    assert verify_url and "/verifier/" in verify_url

    context, public = _public_page(browser)
    try:
        public.goto(verify_url)
        expect(public.get_by_text("Attestation valide")).to_be_visible()
        check_page(public, "vérification publique")
        public.screenshot(path=str(ARTIFACTS / "attestation-verifier-360.png"), full_page=True)

        page.get_by_label("Motif de la révocation").fill("Période de contrat erronée")
        page.get_by_role("button", name="Révoquer").click()
        expect(page.get_by_text("Attestation révoquée.")).to_be_visible()

        public.reload()
        expect(public.get_by_text("Attestation révoquée")).to_be_visible()
        expect(public.get_by_text("révoquée").first).to_be_visible()
        check_page(public, "vérification publique révoquée")
        assert public.console_errors == []
    finally:
        context.close()
    # The salarié's file: the section link and the list of their attestations.
    page.get_by_role("link", name="Attestations", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attestations ·")
    check_page(page, "attestations du salarié")
    assert page.console_errors == []
