"""On a phone (390 × 844): the ETI marks a whole team present with one absence in three taps."""

from __future__ import annotations

import re

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
    first.locator("a", has_text="Absent").click()  # tap 2
    page.get_by_role("dialog").get_by_role("button", name="Maladie").click()  # tap 3

    first = page.locator(f"#{roster_id} li.att-row").first
    expect(first).to_contain_text("Absent·e (Maladie)")
    expect(page.locator(f"#{roster_id} li.att-present")).to_have_count(expected - 1)
    expect(page.locator(f"#{roster_id}")).to_contain_text("1 absent·e")
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 360, "height": 740})
    first.get_by_role("link", name=re.compile("^Plus : retard")).click()
    panel = page.get_by_role("dialog")
    expect(panel.get_by_label("Heures travaillées")).to_be_visible()
    assert no_horizontal_scroll(page)
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.console_errors == []


def test_the_month_grid_fits_a_360px_screen(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/grille")
    expect(page.get_by_role("heading", name="Total de la structure")).to_be_visible()
    expect(page.get_by_role("link", name="Heures travaillées du mois (CSV)")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.console_errors == []


def test_offline_marks_wait_and_are_sent_when_the_network_is_back(page, live_server):
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/")
    row = page.locator("li.att-row").last
    row_id = row.get_attribute("id")
    page.context.set_offline(True)
    row = page.locator(f"#{row_id}")
    row.locator("a", has_text="Absent").click()
    page.get_by_role("dialog").get_by_role("button", name="Formation").click()
    expect(page.locator("#offline-status")).to_contain_text("En attente d'envoi (1)")
    expect(page.get_by_role("dialog")).to_be_hidden()  # kept on the phone, the panel closed
    expect(row).to_have_class(re.compile("offline-pending"))
    page.context.set_offline(False)
    expect(page.locator(f"#{row_id}")).to_contain_text("Absent·e (Formation)", timeout=10000)
    expect(page.locator("#offline-status")).to_be_hidden()
    assert page.console_errors == []


def test_the_service_worker_and_manifest_are_served(page, live_server):
    sw = page.request.get(f"{live_server}/sw.js")
    assert sw.status == 200
    assert "javascript" in sw.headers["content-type"]
    assert sw.headers["service-worker-allowed"] == "/"
    manifest = page.request.get(f"{live_server}/static/manifest.webmanifest")
    assert manifest.json()["icons"][0]["sizes"] == "192x192"


def test_sign_out_clears_the_offline_caches(page, live_server):
    from tests.browser.test_foundation_flow import sign_out

    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("caches.keys().then(k => k.length > 0)")
    sign_out(page)
    assert page.evaluate("caches.keys().then(k => k.length)") == 0


def test_an_observation_with_a_competency_on_the_observations_page_at_360px(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/")
    # The observations page itself (the roster's « Observation » opens a panel instead).
    page.goto(live_server + page.locator("li.att-row a.att-observe").first.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observations de")
    page.get_by_label("Observation", exact=True).fill("Prévient toujours avant une absence.")
    page.get_by_label("Point positif").check()
    page.get_by_label("Chercher une compétence").fill("assidu")
    page.get_by_label("Être assidu").check()
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Enregistrer l'observation").click()
    expect(page.get_by_text("Observation enregistrée.")).to_be_visible()
    feed = page.locator("#observations-feed")
    expect(feed).to_contain_text("Prévient toujours avant une absence.")
    # The demo's earlier observations may cite the same competency: look at the new one.
    mine = feed.get_by_role("listitem").filter(has_text="Prévient toujours avant une absence.")
    expect(mine.get_by_role("link", name="Être assidu")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.console_errors == []
