"""An ETI on a phone (390 px) positions a salarié of their team: starts an assessment on a
grid, taps a level on lines (big targets), marks it « vu avec le salarié », validates it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in

BASE = "/s/jardins-du-val"


def test_eti_positions_a_salarie_on_a_phone(page, live_server):
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{BASE}/salaries/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Salariés de mes équipes")
    page.locator(".employee-list li a").first.click()
    expect(page.get_by_role("navigation", name="Suivi du salarié")).to_be_visible()
    page.get_by_role("navigation", name="Suivi du salarié").get_by_role(
        "link", name="Évaluations"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluations ·")
    check_page(page, "évaluations du salarié (ETI)")

    page.get_by_label("Évaluation intermédiaire").check()
    page.get_by_role("button", name="Commencer l'évaluation").click()
    expect(page.get_by_text("Évaluation commencée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluation intermédiaire du")
    assert no_horizontal_scroll(page)

    for position, level in ((1, "Acquis"), (2, "En cours d'acquisition")):
        line = page.locator(f"#ligne-{position}")
        line.locator("label.level-choice", has_text=re.compile(f"^{level}$")).click()
        line.get_by_role("button", name=re.compile("^Enregistrer")).click()
        # Only the line is replaced (htmx), with what was saved.
        expect(page.locator(f"#ligne-{position} .line-saved")).to_have_text(
            f"Enregistré : {level}."
        )
        expect(page.locator(f"#ligne-{position} input:checked")).to_have_count(1)

    page.get_by_role("button", name="Vue avec le salarié").click()
    expect(page.get_by_text("Évaluation vue avec le salarié.")).to_be_visible()
    page.get_by_role("button", name="Valider comme encadrant").click()
    expect(page.get_by_text("Validation de l'encadrant enregistrée.")).to_be_visible()
    expect(page.locator("#validation")).to_contain_text("Validation de l'encadrant (ETI) : le")
    check_page(page, "évaluation (ETI)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eti-evaluation-390.png"), full_page=True)
    assert page.console_errors == []


def test_progress_chart_and_grids_pages_are_accessible(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{BASE}/evaluations/grilles")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grilles d'évaluation")
    check_page(page, "grilles")
    page.locator(".card > a").first.click()
    expect(page.get_by_role("heading", name="Éléments évalués", exact=False)).to_be_visible()
    check_page(page, "grille")
    # A salarié with validated assessments: the competency page draws the chart.
    page.goto(f"{live_server}{BASE}/salaries/")
    page.locator(".employee-list li a").first.click()
    page.get_by_role("navigation", name="Suivi du salarié").get_by_role(
        "link", name="Évaluations"
    ).click()
    check_page(page, "évaluations du salarié (coordination)")
    page.locator("#progression-titre + .table-scroll tbody a").first.click()
    expect(page.locator("svg.progress-chart")).to_be_visible()
    check_page(page, "compétence avec graphique")
    page.screenshot(path=str(ARTIFACTS / "progression-390.png"), full_page=True)
    assert page.console_errors == []
