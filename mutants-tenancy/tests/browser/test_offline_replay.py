"""Records queued offline are never lost: a refusal is shown with its reason, a record whose
id another record holds can be sent again as a new one, and a session that ended while the
phone was offline keeps them queued until the person signs in again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_foundation_flow import sign_in

SLUG = "jardins-du-val"
ETI = "eti.jardins@example.org"


def _observation_page_of_a_roster_salarie(page, live_server, index: int, signed_in=False) -> str:
    if not signed_in:
        sign_in(page, live_server, ETI)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/{SLUG}/presences/")
    href = page.locator("li.att-row a.att-observe").nth(index).get_attribute("href")
    page.goto(f"{live_server}{href}")  # the whole page (the roster opens a panel instead)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observations de")
    return re.search(r"/salaries/([0-9a-f-]{36})/", page.url).group(1)


def _queue_an_observation(page, text: str) -> None:
    page.context.set_offline(True)
    page.get_by_label("Observation", exact=True).fill(text)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#offline-status")).to_contain_text("En attente d'envoi (1)")


def test_a_record_refused_by_the_server_is_shown_with_its_reason(page, browser, live_server):
    employee_id = _observation_page_of_a_roster_salarie(page, live_server, 0)
    _queue_an_observation(page, "Observation faite hors connexion, refusée ensuite.")

    # Meanwhile the coordination takes the salarié out of every team: the ETI no longer
    # follows them, so the server refuses the queued observation.
    office = browser.new_context(viewport={"width": 1024, "height": 800}, locale="fr-FR")
    coordination = office.new_page()
    sign_in(coordination, live_server, "coordination.jardins@example.org")
    expect(coordination.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    coordination.goto(f"{live_server}/s/{SLUG}/salaries/{employee_id}/identite")
    coordination.get_by_label("Équipe").select_option("")
    coordination.get_by_role("button", name="Enregistrer").click()
    expect(coordination.get_by_text("Identité enregistrée.")).to_be_visible()
    office.close()

    page.context.set_offline(False)
    status = page.locator("#offline-status")
    expect(status).to_contain_text("Refusé", timeout=10000)
    expect(status).to_contain_text("n'est plus dans vos équipes")
    dismiss = status.get_by_role("button", name="J'ai pris connaissance des saisies refusées")
    dismiss.click()
    expect(status).to_be_hidden()


def test_a_session_ended_offline_keeps_the_queue_until_signing_in_again(page, live_server):
    _observation_page_of_a_roster_salarie(page, live_server, 1)
    text = "Noté hors connexion pendant que la session expirait."
    _queue_an_observation(page, text)

    page.context.clear_cookies()  # the session ended while the phone had no network
    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text(
        "Session expirée : reconnectez-vous pour envoyer vos saisies (1)", timeout=10000
    )

    feed_url = page.url
    sign_in(page, live_server, ETI)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(feed_url)
    expect(page.get_by_text(text)).to_have_count(1, timeout=10000)
    page.reload()
    expect(page.get_by_text(text)).to_have_count(1)
    expect(page.locator("#offline-status")).to_be_hidden()


def test_a_record_whose_id_is_taken_is_refused_then_sent_again_as_new(page, live_server):
    # An observation written online on one salarié: the id made with the page is saved.
    _observation_page_of_a_roster_salarie(page, live_server, 2)
    taken = page.locator("form.obs-form input[name=record_id]").input_value()
    page.get_by_label("Observation", exact=True).fill("Observation en ligne, premier salarié.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Observation enregistrée.")).to_be_visible()

    # On another salarié, offline, the phone makes that same id (a collision of ids).
    _observation_page_of_a_roster_salarie(page, live_server, 3, signed_in=True)
    page.evaluate(
        """taken => {
          const made = crypto.randomUUID.bind(crypto);
          let next = taken;
          crypto.randomUUID = () => { const id = next || made(); next = null; return id; };
        }""",
        taken,
    )
    text = "Observation hors connexion dont l'identifiant était déjà pris."
    _queue_an_observation(page, text)
    page.context.set_offline(False)
    status = page.locator("#offline-status")
    expect(status).to_contain_text("Refusé", timeout=10000)
    expect(status).to_contain_text(
        "identifiant déjà utilisé par un autre enregistrement : il n'a pas été enregistré"
    )
    check_page(page, "saisie refusée")
    status.get_by_role("button", name="Renvoyer comme nouvel enregistrement").click()
    expect(page.locator("#observations-feed").get_by_text(text)).to_have_count(1, timeout=10000)
    expect(status).to_be_hidden()
