"""The pages of the salarié file, the follow-up and the chantier, as each role meets them at
390 px: a French heading, no serious or critical axe violation, 44 px targets, no sideways
scroll (check_page), the salarié file included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_foundation_flow import sign_in

S = "/s/jardins-du-val"
PAGES = {
    "eti.jardins@example.org": [f"{S}/presences/", f"{S}/salaries/"],
    "cip.jardins@example.org": [f"{S}/", f"{S}/salaries/", f"{S}/alertes/", f"{S}/partenaires/"],
    "coordination.jardins@example.org": [f"{S}/presences/grille", f"{S}/salaries/"],
    "direction.jardins@example.org": [f"{S}/salaries/journal-des-acces"],
}
FILE_LINK = re.compile(r"/salaries/[0-9a-f-]{36}$")


def _first_file(page) -> str | None:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if h and FILE_LINK.search(h)), None)


@pytest.mark.parametrize("who", list(PAGES))
def test_feature_pages_pass_the_page_checks(page, live_server, who):
    sign_in(page, live_server, who)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    for path in PAGES[who]:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page, f"{who} {path}")
        if path.endswith("/salaries/"):
            href = _first_file(page)
            assert href, f"{who}: aucune fiche de salarié dans la liste"
            page.goto(live_server + href)
            page.wait_for_load_state("networkidle")
            expect(
                page.get_by_role("heading", level=2, name="Aménagements de poste")
            ).to_be_visible()
            check_page(page, f"{who} fiche")


# The documents (evaluations, bilans, attestations) as each role meets them on the smallest
# phone: for the first salarié of the list, their evaluations, bilans and attestations.
DOCUMENT_PAGES = {
    "eti.jardins@example.org": [
        "evaluations/salarie/{id}",
        "bilans/salarie/{id}",
        "diagnostic/{id}",
        "salaries/{id}/observations",
        "urgences/salaries/{id}/signaler",
    ],
    "cip.jardins@example.org": [
        "evaluations/salarie/{id}",
        "bilans/salarie/{id}",
        "attestations/salarie/{id}",
        "salaries/{id}/eligibilite",
        "salaries/{id}/donnees/demandes",
        "salaries/{id}/donnees-detenues",
        "evaluations/couverture?seuil=50&proches=1",
        "evaluations/salaries/{id}/couverture",
        "evaluations/salaries/{id}/dossier-preuves",
        "/verifier/badge",
    ],
    "direction.jardins@example.org": [
        "attestations/",
        "attestations/lots",
        "structure/identite",
        "salaries/{id}/renouvellement",
        "registre/notice",
        "/compte/sessions",  # not under the structure's prefix
    ],
    # the forms of the file's parcours: the sensitive criteria read-only for coordination
    "coordination.jardins@example.org": [
        "salaries/{id}/eligibilite",
        "salaries/{id}/immersions",
        "salaries/{id}/immersions/nouvelle",
        "salaries/{id}/sortie/situation-6-mois",
        "salaries/{id}/renouvellement",
        "salaries/{id}/renouvellement/proposition",
    ],
}
REVIEW_LINK = re.compile(r"/bilans/[0-9a-f-]{36}$")


@pytest.mark.parametrize("who", list(DOCUMENT_PAGES))
def test_document_pages_pass_the_page_checks_at_360px(page, live_server, who):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, who)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{S}/salaries/")
    employee_id = _first_file(page).rsplit("/", 1)[1]
    for path in DOCUMENT_PAGES[who]:
        target = path if path.startswith("/") else f"{S}/{path.format(id=employee_id)}"
        answer = page.goto(f"{live_server}{target}")
        assert answer is not None and answer.status == 200, f"{who} {path}"
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page, f"{who} {path} (360 px)")
        if path.startswith("bilans/"):
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            review = next((h for h in hrefs if REVIEW_LINK.search(h)), None)
            assert review, f"{who}: le premier salarié de la démo a un bilan ouvert"
            page.goto(review)
            page.wait_for_load_state("networkidle")
            check_page(page, f"{who} bilan (360 px)")
