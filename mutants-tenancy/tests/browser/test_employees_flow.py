"""On a phone (360 px): the ETI finds a salarié with the active search and reads the file."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in


def test_eti_searches_and_reads_a_file_at_360px(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/salaries/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Salariés de mes équipes")
    first = page.locator(".employee-list li a").first
    name = first.inner_text()
    last = name.split()[0]
    count = page.locator(".count")
    page.get_by_label("Rechercher par nom").fill(last.lower())
    expect(page).to_have_url(re.compile(r"q=" + re.escape(last.lower())))
    expect(count).to_contain_text("salarié")
    page.locator(".employee-list li a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(last)
    for title in ("Identité", "Aménagements de poste", "PASS IAE", "Contrats", "Parcours"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Modifier l'identité")).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert page.console_errors == []


def test_a_prolongation_outside_its_window_is_refused_at_390px(page, live_server):
    """The CIP reads when the PASS may be prolonged, asks too early and reads the rule."""
    from tests.browser.conftest import axe_violations

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/salaries/")
    page.locator(".employee-list li a").first.click()
    window = page.locator("#pass").get_by_text(re.compile(r"Prolongation possible du \d"))
    expect(window.first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "pass-block-390.png"), full_page=True)
    page.locator("#pass").get_by_role("link", name="Ajouter une prolongation").first.click()
    page.get_by_label("Motif", exact=True).select_option("rqth")
    page.get_by_label("Durée (mois, 12 au plus)").fill("6")
    page.get_by_label("Demandée le").fill("2020-01-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(re.compile(r"Une prolongation se demande du \d")).first).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "prolongation-refused-390.png"), full_page=True)
    # The refusal itself is a 422 answer; nothing else goes wrong.
    assert [e for e in page.console_errors if "422" not in e] == []
