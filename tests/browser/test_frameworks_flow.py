"""A coordinator imports the ETI REAC from its text, checks the preview, confirms, searches."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import main_nav, sign_in
from tests.frameworks.helpers import REAC_ETI


def test_import_reac_preview_confirm_and_search(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    main_nav(page).get_by_role("link", name="Référentiels").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Référentiels")
    check_page(page, "référentiels")
    page.get_by_role("link", name="Importer un REAC ou un fichier").click()
    expect(page.get_by_role("button", name="Analyser le fichier")).to_be_visible()
    check_page(page, "import")
    page.get_by_label("Fichier (PDF ou texte d'un REAC, ou export JSON / CSV)").set_input_files(
        str(REAC_ETI)
    )
    page.get_by_role("button", name="Analyser le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Encadrant technique")
    expect(page.locator('[data-count="blocks"]')).to_have_text("3")
    expect(page.locator('[data-count="competencies"]')).to_have_text("10")
    expect(page.locator('[data-count="transversal"]')).to_have_text("4")
    expect(page.locator('[data-count="criteria"]')).to_have_text("87")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reac-preview-390.png"), full_page=False)
    check_page(page, "aperçu de l'import")
    # The demo structure already holds this REAC: the preview says so, and leads to it.
    expect(page.locator("#deja-importe")).to_contain_text("identique au référentiel")
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    page.get_by_role("link", name="Voir le référentiel déjà importé").click()
    expect(page).to_have_url(re.compile(r"/referentiels/[0-9a-f-]{36}$"))
    check_page(page, "référentiel déjà importé")
    # Active search inside the framework, as you type.
    page.get_by_label("Rechercher dans ce référentiel").press_sequentially("tracabilite")
    results = page.locator("#search-results")
    expect(results).to_contain_text("pour « tracabilite »")
    expect(results.get_by_role("listitem").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "reac-search-390.png"), full_page=True)
    check_page(page, "recherche dans le référentiel")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == []
