"""The demo CIP's home on a phone (390×844): the alerts grouped by salarié keep the whole home
within two screens; « + N autres » unfolds a salarié's other alerts, by tap or keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

TWO_SCREENS = 2 * 844  # px, at 390 px wide
MORE = re.compile(r"^\+ \d+ autres?\b")


def test_cip_home_fits_in_two_screens_and_unfolds_a_salaries_other_alerts(page, live_server):
    assert page.viewport_size == {"width": 390, "height": 844}
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    alerts = page.locator("section#alertes")
    expect(alerts.get_by_role("heading", level=2)).to_have_text("Alertes de la semaine")
    expect(alerts).to_contain_text(re.compile(r"\d+ salariés concernés"))
    page.wait_for_load_state("networkidle")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= TWO_SCREENS, f"accueil de la CIP : {height} px de haut à 390 px"
    check_page(page, "accueil de la CIP (alertes repliées)")
    # The colour's word once per salarié while folded, and once per colour when unfolded (not
    # once per alert).
    first = alerts.locator("li.alert-line").first
    expect(first.locator(".badge:visible")).to_have_count(1)
    colours = set(
        first.locator("[data-colour]").evaluate_all("els => els.map(e => e.dataset.colour)")
    )
    expect(first.locator(".badge")).to_have_count(len(colours))

    details = alerts.locator("details.alert-more").first
    summary = details.locator("summary")
    expect(summary.locator(".alert-more-count")).to_have_text(MORE)
    more = int(re.search(r"\d+", summary.locator(".alert-more-count").inner_text()).group())
    others = details.locator("li[data-alert]")
    expect(others.first).to_be_hidden()
    assert summary.bounding_box()["height"] >= 44

    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(others).to_have_count(more)
    expect(others.first).to_be_visible()
    check_page(page, "accueil de la CIP (alertes d'un salarié dépliées)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cip-accueil-alertes-390.png"), full_page=True)
    page.keyboard.press("Enter")
    expect(others.first).to_be_hidden()
    summary.click()
    expect(others.first).to_be_visible()

    # Every salarié is on the alerts page, one line each.
    alerts.get_by_role("link", name=re.compile(r"^Voir les alertes des \d+ salariés$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertes de la semaine")
    lines = page.locator("li.alert-line")
    count = int(re.search(r"\d+", page.locator(".alert-count").inner_text()).group())
    expect(lines).to_have_count(count)
    check_page(page, "alertes de la CIP")
    assert page.console_errors == []
