"""The direction's month and year on a phone (390 × 844): the dashboard, the monthly
follow-up (a correction of paid hours, the CSV downloaded), the conventionnement, the annual
report frozen and downloaded, the group's structures side by side — each page passing the
page checks (axe, 44 px targets, no sideways scroll)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

S = "/s/jardins-du-val"


def test_the_direction_month_and_year_on_a_phone(page, live_server):
    sign_in(page, live_server, "direction.jardins@example.org")
    page.wait_for_url(lambda url: "/connexion" not in url)
    page.goto(live_server + f"{S}/pilotage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage")
    expect(page.get_by_text("Taux de sorties dynamiques")).to_be_visible()
    check_page(page, "tableau de bord")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pilotage-390.png"), full_page=True)

    page.get_by_role("link", name="Suivi mensuel").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suivi mensuel")
    check_page(page, "suivi mensuel")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    assert download.value.suggested_filename.startswith("suivi-mensuel-ACI-")
    assert download.value.suggested_filename.endswith(".csv")
    page.get_by_role("link", name="Corriger").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heures payées de")
    check_page(page, "heures payées")
    page.get_by_label("Heures payées").fill("100")
    page.get_by_label("Motif de l'écart").fill("Absence non rémunérée")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(re.compile(r"^Heures payées de .* enregistrées\.$"))).to_be_visible()
    expect(page.get_by_text("Absence non rémunérée").first).to_be_visible()

    page.get_by_role("link", name="Conventionnement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conventionnement")
    check_page(page, "conventionnement")

    page.get_by_role("link", name="Rapport annuel").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport annuel")
    page.get_by_role("button", name="Préparer et figer le rapport").click()
    expect(page.get_by_text("en préparation")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport (PDF)").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_page(page, "rapport annuel")
    assert page.console_errors == []


def test_the_group_director_sees_both_structures(page, live_server):
    sign_in(page, live_server, "direction.groupe@example.org")
    page.wait_for_url(lambda url: "/connexion" not in url)
    page.goto(live_server + f"{S}/pilotage/groupe")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vos structures côte à côte")
    expect(page.get_by_role("columnheader", name="Ensemble")).to_be_visible()
    expect(page.get_by_role("columnheader", name="L'Établi, recyclerie solidaire")).to_be_visible()
    check_page(page, "groupe")
