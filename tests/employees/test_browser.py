"""On a phone (360 px): the ETI finds a salarié with the active search and reads the file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser, live_server, page  # noqa: F401 - fixtures
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db]


def test_eti_searches_and_reads_a_file_at_360px(page, live_server):  # noqa: F811
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
