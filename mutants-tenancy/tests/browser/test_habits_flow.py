"""Habits every screen inherits, on a phone: Back after sign-out, requests in flight and
network failures, a form sent after the session expired, menus, focus, the header."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import main_nav, sign_in, sign_out

BASE = "/s/jardins-du-val"
# What the tab keeps: nothing but htmx's note of the current path (the login page's).
STORED = """() => {
  const keys = [...Object.keys(sessionStorage), ...Object.keys(localStorage)];
  const path = sessionStorage.getItem('htmx-current-path-for-history');
  return {
    keys: keys.filter(k => k !== 'htmx-current-path-for-history'),
    path: path === null || path.startsWith('/connexion'),
  };
}"""
EMPTY = {"keys": [], "path": True}
NO_DRAFT = "() => !Object.keys(sessionStorage).some(k => k.startsWith('siae-draft'))"


def _home(page):
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def _open_new_team_form(page):
    main_nav(page).get_by_role("link", name="Équipes et activités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipes et activités")
    page.get_by_role("link", name="Nouvelle équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle équipe")


def test_back_after_sign_out_shows_the_login_page_and_storage_is_empty(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipes et activités")
    team = page.locator(".card > a").first
    team_name = team.inner_text()
    team.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team_name)
    check_page(page, "équipe (coordination)")
    # Whatever a page or a script put in storage, sign-out removes it.
    page.evaluate("sessionStorage.setItem('x', '1'); localStorage.setItem('y', '2')")
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/connexion$"))
    assert page.evaluate(STORED) == EMPTY
    assert page.evaluate("caches.keys().then(k => k.length)") == 0
    requests = []
    page.on("request", lambda r: r.resource_type == "document" and requests.append(r.url))
    for _ in range(3):  # team page, teams list, form: none comes back without asking
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
        expect(page.locator("main")).not_to_contain_text(team_name)
    assert requests, "Back must ask the server"
    assert page.evaluate(STORED) == EMPTY


def test_requests_show_they_are_under_way(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.get_by_label("Nom de l'équipe").fill("Équipe lente")
    held = []
    page.route(re.compile(r".*/equipes/nouvelle$"), lambda route: held.append(route))
    button = page.get_by_role("button", name="Enregistrer")
    button.click()
    expect(button).to_be_disabled()
    expect(page.locator(".busy-bar")).to_have_css("opacity", "1")  # after 200 ms
    held[0].continue_()
    expect(page.get_by_text("Équipe « Équipe lente » enregistrée.")).to_be_visible()
    expect(page.locator(".busy-bar")).to_have_css("opacity", "0")


def test_offline_submit_says_so_in_french_and_keeps_the_text(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.get_by_label("Nom de l'équipe").fill("Équipe hors ligne")
    page.get_by_label("Lieu / chantier (facultatif)").fill("Quai 4")
    page.context.set_offline(True)
    page.get_by_role("button", name="Enregistrer").click()
    alert = page.locator("#net-status[role=alert]")
    expect(alert).to_contain_text("La connexion au serveur a échoué")
    expect(page.get_by_label("Nom de l'équipe")).to_have_value("Équipe hors ligne")
    expect(page.get_by_label("Lieu / chantier (facultatif)")).to_have_value("Quai 4")
    expect(page.get_by_role("button", name="Enregistrer")).to_be_enabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-390.png"))
    check_page(page, "formulaire hors ligne")
    page.context.set_offline(False)
    alert.get_by_role("button", name="Réessayer").click()
    expect(page.get_by_text("Équipe « Équipe hors ligne » enregistrée.")).to_be_visible()
    expect(alert).to_be_empty()


def test_a_server_error_keeps_the_form(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.get_by_label("Nom de l'équipe").fill("Équipe en panne")
    page.route(
        re.compile(r".*/equipes/nouvelle$"),
        lambda route: route.fulfill(status=502, body="<h1>Bad gateway</h1>"),
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#net-status")).to_contain_text("Le serveur a rencontré une erreur")
    expect(page.get_by_label("Nom de l'équipe")).to_have_value("Équipe en panne")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle équipe")


def test_form_sent_after_the_session_expired_is_restored(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    form_url = page.url
    page.get_by_label("Nom de l'équipe").fill("Équipe du soir")
    page.get_by_label("Lieu / chantier (facultatif)").fill("Hangar 2")
    page.get_by_role("checkbox", name="Olivie Fleury").check()
    page.context.clear_cookies()  # the 30 minutes have passed
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(re.compile(r"/connexion\?session=expiree"))
    expect(page.get_by_text("Votre session a expiré")).to_be_visible()
    expect(page.locator("#draft-status")).to_contain_text("sera restaurée")
    check_page(page, "connexion après expiration")
    sign_in(page, live_server, "coordination.jardins@example.org", go=False)
    expect(page).to_have_url(form_url)
    expect(page.locator("#draft-status")).to_contain_text(
        "Votre saisie a été restaurée, vérifiez-la puis enregistrez."
    )
    expect(page.get_by_label("Nom de l'équipe")).to_have_value("Équipe du soir")
    expect(page.get_by_label("Lieu / chantier (facultatif)")).to_have_value("Hangar 2")
    expect(page.get_by_role("checkbox", name="Olivie Fleury")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Équipe « Équipe du soir » enregistrée.")).to_be_visible()
    page.wait_for_function(NO_DRAFT)


def test_a_draft_is_never_restored_for_someone_else(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.get_by_label("Nom de l'équipe").fill("Brouillon privé")
    page.context.clear_cookies()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre session a expiré")).to_be_visible()
    sign_in(page, live_server, "direction.jardins@example.org", go=False)
    _home(page)
    page.wait_for_function(NO_DRAFT)
    expect(page.locator("#draft-status")).to_be_empty()


def test_menus_close_on_escape_and_outside_tap(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 80, header  # one row on a phone, the navigation folded
    menu = page.locator("details.menu")
    summary = menu.locator("summary")
    summary.click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    summary.click()
    page.mouse.click(20, 600)  # a tap outside the menu
    expect(menu).not_to_have_attribute("open", "")
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Pilotage")).to_be_visible()
    check_page(page, "menu ouvert")
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Pilotage")).to_be_hidden()
    # On a wide screen, the navigation is always shown.
    page.set_viewport_size({"width": 1024, "height": 768})
    expect(toggle).to_be_hidden()
    expect(nav.get_by_role("link", name="Pilotage")).to_be_visible()


CONTRAST_JS = """
(el) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  let bg = null;
  for (let n = el.parentElement; n && !bg; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) bg = c.slice(0, 3);
  }
  bg = bg || [255, 255, 255];
  const s = getComputedStyle(el);
  const ring = rgb(s.outlineColor).slice(0, 3);
  const halo = rgb(s.boxShadow).slice(0, 3);
  return Math.max(ratio(ring, bg), halo.length ? ratio(halo, bg) : 0);
}
"""


def test_focus_ring_contrasts_with_what_is_around(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        # Read the focused element in one evaluation (a locator on :focus can race a move).
        found = page.evaluate(
            "(() => { const e = document.activeElement;"
            " if (!e || e === document.body) return null;"
            " const r = e.getBoundingClientRect(); if (!r.width || !r.height) return null;"
            f" return [({CONTRAST_JS})(e), e.outerHTML.slice(0, 200)]; }})()"
        )
        if found is not None:
            ratio, html = found
            assert ratio >= 3, html
            seen += 1
    assert seen >= 5


def test_a_request_that_takes_too_long_says_so(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    _home(page)
    _open_new_team_form(page)
    page.get_by_label("Nom de l'équipe").fill("Équipe patiente")
    page.evaluate("htmx.config.timeout = 300")
    held = []
    page.route(re.compile(r".*/equipes/nouvelle$"), lambda route: held.append(route))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#net-status")).to_contain_text("Le serveur ne répond pas assez vite")
    expect(page.get_by_label("Nom de l'équipe")).to_have_value("Équipe patiente")
    expect(page.get_by_role("button", name="Enregistrer")).to_be_enabled()
    assert held  # the request reached the network and was given up by the page
