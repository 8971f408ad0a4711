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
