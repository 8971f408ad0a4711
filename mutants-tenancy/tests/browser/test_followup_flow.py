"""A CIP on a phone (390 px): records a frein, an action with a partner, ticks an accueil
item and snoozes an alert."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in

BASE = "/s/jardins-du-val"


def test_cip_follows_a_salarie_on_a_phone(page, live_server):
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{BASE}/alertes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertes de la semaine")
    assert no_horizontal_scroll(page)
    first = page.locator("#alertes li.card").first
    name = first.locator("strong").first.inner_text()
    first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # A frein, from the diagnostic page.
    page.get_by_role("navigation", name="Suivi du salarié").get_by_role(
        "link", name="Diagnostic"
    ).click()
    page.get_by_text("Ajouter un frein").click()
    page.locator("#frein-axis_id").select_option(label="Numérique")
    page.locator("#frein-status").select_option(label="En cours de levée")
    page.locator("#frein-comment").fill("Atelier numérique deux fois par mois.")
    page.get_by_role("button", name="Enregistrer le frein").click()
    expect(page.get_by_text("Frein enregistré.")).to_be_visible()
    expect(page.get_by_text("Atelier numérique deux fois par mois.")).to_be_visible()
    assert no_horizontal_scroll(page)

    # + Action, then the partner.
    page.locator("#action-rapide summary").click()
    page.locator("#action-rapide input[name=label]").fill("Rendez-vous CAF")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_text("Action ajoutée : complétez-la si besoin.")).to_be_visible()
    page.get_by_label("Partenaire").select_option(label="CAF")
    page.get_by_label("Temps passé (minutes)").fill("20")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Action enregistrée.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("CAF")

    # Tick an accueil item (htmx swaps the checklist).
    page.get_by_role("navigation", name="Suivi du salarié").get_by_role(
        "link", name="Accueil"
    ).click()
    badge = page.locator("#checklist-titre .badge")
    before = int(badge.inner_text().split("/")[0])
    form = page.locator(
        "#checklist form", has=page.get_by_role("button", name=re.compile("^Cocher"))
    ).first
    form.locator("input[type=date]").fill(date.today().isoformat())
    form.get_by_role("button").click()
    expect(badge).to_have_text(re.compile(rf"^{before + 1}/"))
    assert no_horizontal_scroll(page)

    # Snooze the first alert line for the team.
    page.goto(f"{live_server}{BASE}/alertes/")
    page.locator("#alertes").get_by_role("button", name="Vu — rappeler dans 7 jours").first.click()
    expect(page.get_by_text(re.compile("reportées de 7 jours"))).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cip-alerts-390.png"), full_page=True)
    assert page.console_errors == []
