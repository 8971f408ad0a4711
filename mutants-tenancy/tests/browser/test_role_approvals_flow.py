"""Two people give a role that reads personal data, then the invited person opens the link.

The administrator asks for a CIP; the direction approves it in its own browser; the link is
shown to it (no SMTP); the new person opens it: the token, after « # », never reaches the
server (no request URL, Referer or access-log line carries it) and they land as CIP.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import main_nav, sign_in

BASE = "/s/jardins-du-val"
NEW = "nouvelle.cip.approuvee@example.org"
PASSWORD = "Tomates-Cerises-Sous-Serre-88"


def _admin_asks(page, base):
    sign_in(page, base, "admin.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{base}{BASE}/administration/membres/inviter")
    page.get_by_label("Adresse e-mail").fill(NEW)
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label("Nom", exact=True).fill("Diallo")
    page.get_by_label("Conseiller·ère en insertion (CIP)").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation en attente d'approbation")
    expect(page.locator("input.copy-field")).to_have_count(0)  # no link exists
    check_page(page, "invitation en attente d'approbation")


def _direction_approves(page, base) -> str:
    sign_in(page, base, "direction.jardins@example.org")
    page.get_by_role("link", name="1 demande de rôle à approuver").click()
    expect(page.get_by_role("heading", name="Demandes à approuver")).to_be_visible()
    check_page(page, "demandes à approuver (direction)")
    request = page.locator("#demandes .card", has_text="Awa Diallo")
    expect(request).to_contain_text("Demandé par")
    request.get_by_role("button", name=re.compile("^Approuver")).click()
    expect(
        page.get_by_text("Demande approuvée : l'invitation de Awa Diallo est prête")
    ).to_be_visible()
    check_page(page, "fiche après approbation")
    expect(page.locator(".card", has_text="Demande approuvée")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "role-approved-390.png"), full_page=True)
    return page.get_by_label("Lien d'invitation").input_value()


def test_a_cip_invited_by_the_admin_waits_for_the_direction(browser, live_server, caplog):
    caplog.set_level("INFO", logger="werkzeug")
    contexts = [
        browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        for _ in range(3)
    ]
    try:
        admin, director, person = (c.new_page() for c in contexts)
        _admin_asks(admin, live_server)
        link = _direction_approves(director, live_server)
        token = link.partition("#")[2]
        assert link.startswith(f"{live_server}/invitation#") and len(token) > 40
        seen, errors = [], []
        person.on("request", lambda r: seen.append((r.url, r.headers.get("referer") or "")))
        person.on("console", lambda m: m.type == "error" and errors.append(m.text))
        person.goto(link)
        expect(person.get_by_role("heading", level=1)).to_have_text("Bienvenue, Awa")
        assert "#" not in person.url and person.url.endswith("/invitation")
        check_page(person, "invitation ouverte")
        person.get_by_label("Nouveau mot de passe").fill(PASSWORD)
        person.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
        person.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(person.get_by_role("heading", level=1)).to_have_text(re.compile("^Bonjour"))
        expect(person.locator("main")).to_contain_text("Conseiller·ère en insertion (CIP)")
        expect(main_nav(person).get_by_role("link", name="Salariés")).to_be_visible()
        # The token went to no server: not in a URL, a Referer, nor the server's log.
        assert seen and all(token not in url and token not in ref for url, ref in seen)
        assert "POST /invitation/ouvrir" in caplog.text  # the log was read
        assert token not in caplog.text
        assert errors == []
    finally:
        for context in contexts:
            context.close()
