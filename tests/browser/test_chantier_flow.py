"""On a phone (390 × 844): the ETI marks a whole team present with one absence in three taps."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in


def test_eti_marks_a_team_with_one_absence_in_three_taps(page, live_server):
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Présences du")
    roster = page.locator("section.roster").filter(has=page.locator(".att-all")).first
    roster_id = roster.get_attribute("id")
    roster = page.locator(f"#{roster_id}")
    expected = roster.locator("li.att-row").count()
    assert expected > 0
    assert no_horizontal_scroll(page)

    roster.get_by_role("button", name="Tous présents").click()  # tap 1
    expect(roster.locator("li.att-present")).to_have_count(expected)
    first = roster.locator("li.att-row").first
    first.locator("summary", has_text="Absent").click()  # tap 2
    first.get_by_role("button", name="Maladie").click()  # tap 3

    first = page.locator(f"#{roster_id} li.att-row").first
    expect(first).to_contain_text("Absent·e (Maladie)")
    expect(page.locator(f"#{roster_id} li.att-present")).to_have_count(expected - 1)
    expect(page.locator(f"#{roster_id}")).to_contain_text("1 absent·e")
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 360, "height": 740})
    first.locator("summary", has_text="Retard").click()
    expect(first.get_by_label("Heures travaillées")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.console_errors == []


def test_the_month_grid_fits_a_360px_screen(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/grille")
    expect(page.get_by_role("heading", name="Total de la structure")).to_be_visible()
    expect(page.get_by_role("link", name="Heures du mois (CSV)")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.console_errors == []
