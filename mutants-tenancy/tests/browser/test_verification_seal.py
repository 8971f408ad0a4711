"""The public verdict seal at 390 px, signed out: axe-clean, no horizontal scroll, for a
valid code and an unknown one (the revoked one is in test_attestations_flow)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in


def test_seal_at_390_px(page, browser, live_server):
    sign_in(page, live_server, "direction.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/attestations/")
    signed = page.locator("li.card", has=page.locator(".badge", has_text="Signée")).first
    signed.locator("a").first.click()
    verify_url = page.locator("a[href*='/verifier/']").first.get_attribute("href")

    unknown = f"{live_server}/verifier/ABCDE-FGHJK-MNPQR"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    public = context.new_page()
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        for url, heading, name in (
            (verify_url, "Attestation valide", "valide"),
            (unknown, "Aucune attestation pour ce code", "inconnue"),
        ):
            public.goto(url)
            seal = public.locator(".seal")
            expect(seal.get_by_role("heading", level=2)).to_have_text(heading)
            expect(seal.locator("svg")).to_be_visible()
            check_page(public, f"sceau {name}")
            public.screenshot(path=str(ARTIFACTS / f"verification-{name}-390.png"), full_page=True)
    finally:
        context.close()
