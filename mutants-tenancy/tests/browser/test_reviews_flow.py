"""A CIP on a phone (390 px) opens an entretien tripartite, adds the prescripteur, writes the
synthesis, moves the bilan prêt → tenu, previews its PDF, validates it and downloads its PDF."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in

BASE = "/s/jardins-du-val"
FILE_LINK = re.compile(r"/salaries/([0-9a-f-]{36})$")


def _employee_ids(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [m.group(1) for h in hrefs if h and (m := FILE_LINK.search(h))]


def _open_tripartite(page, live_server) -> None:
    """On the first salarié with no entretien tripartite in progress."""
    page.goto(f"{live_server}{BASE}/salaries/")
    for employee_id in _employee_ids(page):
        page.goto(f"{live_server}{BASE}/bilans/salarie/{employee_id}")
        page.get_by_label("Type de bilan").select_option(label="Entretien tripartite")
        page.get_by_role("button", name="Ouvrir le bilan").click()
        page.wait_for_load_state("networkidle")
        if "Entretien tripartite ·" in page.get_by_role("heading", level=1).inner_text():
            return
    raise AssertionError("aucun salarié sans entretien tripartite en cours")


def test_cip_holds_a_tripartite_bilan_and_downloads_its_pdf(page, live_server):
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    _open_tripartite(page, live_server)
    expect(page.get_by_text("Bilan ouvert : le brouillon reprend la période.")).to_be_visible()

    page.get_by_label("Nom", exact=True).fill("Claire Vidal")
    page.get_by_label("Organisation").fill("France Travail")
    page.get_by_label("Rôle (prescripteur, ETI…)").fill("Prescriptrice")
    page.get_by_role("button", name="Ajouter le participant").click()
    expect(page.get_by_text("Participant ajouté.")).to_be_visible()
    expect(page.locator("#participants")).to_contain_text("France Travail")

    page.get_by_label("Synthèse de la CIP").fill("Projet précisé avec la prescriptrice.")
    page.get_by_role("button", name="Enregistrer la synthèse").click()
    expect(page.get_by_text("Synthèse et décisions enregistrées.")).to_be_visible()
    check_page(page, "bilan tripartite (brouillon)")
    assert no_horizontal_scroll(page)

    page.get_by_role("button", name="Marquer prêt").click()
    expect(page.get_by_text("Bilan prêt à être tenu.")).to_be_visible()
    page.get_by_role("button", name="Marquer tenu").click()
    expect(page.get_by_text("Bilan marqué comme tenu.")).to_be_visible()

    # Before « Valider »: the copy as it will be printed, marked as a draft; nothing changes.
    preview = page.get_by_role("link", name="Aperçu du PDF · Exemplaire du salarié")
    with page.expect_download() as download:
        preview.click()
    assert download.value.suggested_filename.startswith("bilan-apercu-")
    answer = page.request.get(live_server + preview.get_attribute("href"))
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
    expect(page.get_by_role("button", name="Valider le bilan")).to_be_visible()
    check_page(page, "bilan tripartite (tenu, aperçu du PDF)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / "cip-bilan-apercu-390.png"), full_page=True, caret="initial"
    )

    page.get_by_role("button", name="Valider le bilan").click()
    expect(page.get_by_text(re.compile("Bilan validé : il est verrouillé"))).to_be_visible()
    check_page(page, "bilan tripartite (validé)")
    expect(page.get_by_role("link", name=re.compile("Aperçu du PDF"))).to_have_count(0)

    link = page.get_by_role("link", name="Télécharger le PDF · Exemplaire du salarié")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cip-bilan-390.png"), full_page=True)
    assert page.console_errors == []


def test_eti_writes_their_part_of_a_bilan_on_a_phone(page, live_server):
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{BASE}/salaries/")
    for employee_id in _employee_ids(page):
        page.goto(f"{live_server}{BASE}/bilans/salarie/{employee_id}")
        check_page(page, "bilans d'un salarié (ETI)")
        drafts = page.locator("li.card", has_text="Brouillon").get_by_role("link")
        if drafts.count():
            drafts.first.click()
            break
    else:
        raise AssertionError("aucun bilan en brouillon dans les équipes de l'ETI")
    page.get_by_label("Regard de l'encadrant·e technique").fill("Gestes sûrs, bon esprit d'équipe.")
    page.get_by_role("button", name="Enregistrer le regard de l'ETI").click()
    expect(page.get_by_text("Regard de l'encadrant·e enregistré.")).to_be_visible()
    expect(page.get_by_role("button", name="Marquer prêt")).to_have_count(0)
    check_page(page, "bilan (ETI)")
    assert no_horizontal_scroll(page)
    assert page.console_errors == []
