"""The ETI's roster with gloves on, and observations from the field in three taps, with or
without network (phone, 390 × 844, touch)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Attendance, Employee, Observation, Team
from tests.browser.conftest import check_page
from tests.browser.test_foundation_flow import no_horizontal_scroll, sign_in

SLUG = "jardins-du-val"
ETI = "eti.jardins@example.org"
SCREEN = 844
TEAM = "Équipe espaces verts Nord"  # the demo's team of 22

# Fields one types in: under 16 px, an iPhone zooms into the page when they take the focus.
SMALL_FIELDS_JS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')]
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
  .map(e => e.name || e.id)"""


def _fresh_roster(live_app) -> str:
    """The team's roster URL, with nobody marked today (other flows mark this team too)."""
    with live_app.app_context():
        tenancy.activate_system(db.session)
        team = db.session.scalar(select(Team).where(Team.name == TEAM))
        db.session.execute(
            delete(Attendance).where(
                Attendance.day == date.today(),
                Attendance.employee_id.in_(select(Employee.id).where(Employee.team_id == team.id)),
            )
        )
        db.session.commit()
        url = f"/s/{SLUG}/presences/equipes/{team.id}"
        db.session.remove()
    return url


def _open_roster(page, live_server, live_app):
    url = _fresh_roster(live_app)
    sign_in(page, live_server, ETI)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}{url}")
    expect(page.get_by_role("heading", level=2, name=TEAM)).to_be_visible()


def test_a_team_of_22_fits_in_two_screens_and_a_half(page, live_server, live_app):
    _open_roster(page, live_server, live_app)
    rows = page.locator("li.att-row")
    count = rows.count()  # 22 in the demo, unless another flow took someone out of the team
    assert count >= 20
    tallest = max(rows.nth(i).bounding_box()["height"] for i in range(count))
    height = page.evaluate("document.documentElement.scrollHeight") + (22 - count) * tallest
    assert height < 2.5 * SCREEN, f"{height} px pour 22 personnes"
    # Présent, Absent, Observation and « … » side by side on one line, down to 360 px.
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": SCREEN})
        buttons = rows.first.locator(".att-actions > form button, .att-actions > a")
        tops = {round(buttons.nth(i).bounding_box()["y"]) for i in range(buttons.count())}
        assert buttons.count() == 4 and len(tops) == 1, (width, tops)
        assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 390, "height": SCREEN})
    check_page(page, "présences d'une équipe")
    assert page.evaluate(SMALL_FIELDS_JS) == []
    # A row opened by its link (the page without script): its forms in full, as accessible.
    row_id = rows.nth(2).get_attribute("id")
    page.goto(f"{page.url}?salarie={row_id[4:]}#{row_id}")
    expect(page.locator(f"#{row_id} .att-opened")).to_be_visible()
    check_page(page, "ligne ouverte sans script")
    assert page.evaluate(SMALL_FIELDS_JS) == []
    # « Tous présents » is within reach at the bottom of the screen, even at the top of the list.
    all_present = page.get_by_role("button", name=f"Tous présents ({count})")
    box = all_present.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN


def test_a_tap_keeps_the_place_and_logs_no_error(page, live_server, live_app):
    _open_roster(page, live_server, live_app)
    row = page.locator("li.att-row").nth(12)
    row_id = row.get_attribute("id")
    row.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    row.get_by_role("button", name="Présent").click()
    row = page.locator(f"#{row_id}")
    expect(row).to_contain_text("Présent·e")
    expect(row).to_be_focused()  # not the top of the page
    assert abs(page.evaluate("window.scrollY") - before) < 5
    name = row.locator(".att-name").inner_text()
    row.get_by_role("link", name=f"Absent : {name}").click()
    panel = page.get_by_role("dialog", name=f"Absence : {name}")
    expect(panel.get_by_role("button", name="Maladie")).to_be_focused()
    check_page(page, "panneau d'absence")
    panel.get_by_role("button", name="Maladie").click()
    expect(page.locator(f"#{row_id}")).to_contain_text("Absent·e (Maladie)")
    expect(panel).to_have_count(0)  # the roster came back, its panel closed
    expect(page.locator(f"#{row_id}")).to_be_focused()
    assert abs(page.evaluate("window.scrollY") - before) < 5
    page.locator(f"#{row_id}").get_by_role("link", name=re.compile("^Plus : retard")).click()
    panel = page.get_by_role("dialog", name=re.compile(f"^Retard, départ, heures.* : {name}$"))
    expect(panel.get_by_label("Heures travaillées")).to_be_visible()
    check_page(page, "panneau retard, départ, heures")
    assert page.evaluate(SMALL_FIELDS_JS) == []
    # Late by 20 minutes: the panel's hours are the contract's (the row was absent).
    panel.get_by_label("Statut").select_option("late")
    panel.get_by_label("Retard (minutes)").fill("20")
    panel.get_by_label("Heures travaillées").fill("")
    panel.get_by_role("button", name=f"Enregistrer : {name}").click()
    expect(page.locator(f"#{row_id}")).to_contain_text("En retard 20 min")
    expect(page.locator(f"#{row_id}")).to_be_focused()
    # Opened again, the panel shows the row's state.
    page.locator(f"#{row_id}").get_by_role("link", name=re.compile("^Plus : retard")).click()
    expect(panel.get_by_label("Statut")).to_have_value("late")
    expect(panel.get_by_label("Retard (minutes)")).to_have_value("20")
    panel.get_by_role("button", name="Fermer").click()
    expect(page.locator(f"#{row_id}")).to_be_focused()
    page.wait_for_timeout(300)  # htmx settles 20 ms after the swap
    assert page.console_errors == []  # no inline style refused by the CSP at each swap


@pytest.fixture
def phone(browser):
    """A touch screen, and a count of the taps made with ``tap_on``."""
    context = browser.new_context(
        viewport={"width": 390, "height": SCREEN}, locale="fr-FR", has_touch=True
    )
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.taps = 0

    def tap_on(locator):
        pg.taps += 1
        locator.tap()

    pg.tap_on = tap_on
    yield pg
    context.close()


def test_an_observation_in_three_taps_from_the_roster(phone, live_server, live_app):
    page = phone
    _open_roster(page, live_server, live_app)
    row = page.locator("li.att-row").nth(3)
    name = row.locator(".att-name").inner_text()
    text = "Range les outils sans qu'on le lui demande, première fois cette semaine."

    page.tap_on(row.get_by_role("link", name=f"Observation sur {name}"))  # 1
    panel = page.get_by_role("dialog", name=f"Observation sur {name}")
    expect(panel).to_be_visible()
    expect(panel.get_by_label("Ce que vous avez observé")).to_be_focused()
    page.keyboard.type(text)
    competency = panel.locator(".obs-top-comps label.toggle").first  # the most cited
    cited = competency.inner_text()
    page.tap_on(competency)  # 2
    check_page(page, "panneau d'observation")
    page.tap_on(panel.get_by_role("button", name="Enregistrer"))  # 3
    expect(panel.get_by_role("status")).to_have_text("Observation enregistrée.")
    expect(panel.get_by_label("Ce que vous avez observé")).to_have_value("")
    assert page.taps == 3
    panel.get_by_role("button", name="Fermer").click()
    expect(panel).to_be_hidden()

    # Saved for this salarié, citing the competency; listed on the ETI's home.
    page.goto(f"{live_server}/s/{SLUG}/")
    today = page.locator(".obs-today")
    expect(today.get_by_role("heading", name="Mes observations du jour")).to_be_visible()
    mine = today.get_by_role("listitem").filter(has_text=text[:40])
    expect(mine.get_by_role("link", name=name)).to_be_visible()
    mine.get_by_role("link", name=name).click()
    feed = page.locator("#observations-feed").get_by_role("listitem").filter(has_text=text)
    expect(feed.get_by_role("link", name=cited.strip())).to_be_visible()
    expect(page.get_by_text("Observation enregistrée.")).to_have_count(0)  # no stale message
    assert page.console_errors == []


def test_an_observation_offline_is_kept_and_sent_when_the_network_is_back(
    page, live_server, live_app
):
    _open_roster(page, live_server, live_app)
    row = page.locator("li.att-row").nth(5)
    name = row.locator(".att-name").inner_text()
    text = f"Hors réseau au fond du chantier : {name} a aidé un collègue à porter les dalles."
    page.context.set_offline(True)
    row.get_by_role("link", name=f"Observation sur {name}").click()
    panel = page.get_by_role("dialog", name=f"Observation sur {name}")
    panel.get_by_label("Ce que vous avez observé").fill(text)
    panel.get_by_text("Point positif").click()
    # The competencies are in the page: one can be cited without network, also from the others.
    more = panel.locator("summary", has_text="Autres compétences")
    more.click()
    others = panel.locator(".obs-more-comps label.toggle")
    # A word of one competency that not all the others contain (which ones are « others »
    # depends on the team's recent citations in the demo).
    texts = [t.strip() for t in others.all_inner_texts()]
    wanted, word = next(
        (t, w)
        for t in reversed(texts)
        for w in t.split()
        if len(w) >= 4 and sum(w.lower() in x.lower() for x in texts) < len(texts)
    )
    panel.get_by_label("Chercher parmi les autres compétences").fill(word)
    visible = panel.locator(".obs-more-comps label.toggle:visible")
    assert 0 < visible.count() < others.count()
    visible.filter(has_text=wanted).click()
    panel.get_by_role("button", name="Enregistrer").click()
    status = panel.get_by_role("status")
    expect(status).to_have_text("Enregistrée sur le téléphone, envoi au retour du réseau.")
    expect(panel.get_by_label("Ce que vous avez observé")).to_have_value("")
    panel.get_by_role("button", name="Fermer").click()
    expect(page.locator("#offline-status")).to_contain_text("En attente d'envoi (1)")

    page.context.set_offline(False)

    def saved():
        with live_app.app_context():
            tenancy.activate_system(db.session)
            found = db.session.scalars(select(Observation).where(Observation.text == text)).all()
            result = [(o.tone, len(o.links)) for o in found]
            db.session.remove()
        return result

    deadline = time.monotonic() + 10
    while not saved() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert saved() == [("positive", 1)]  # sent once, with its tone and competency
    expect(page.locator("#offline-status")).to_be_hidden()
    assert page.console_errors == []


def test_a_refused_observation_comes_back_into_the_panel(page, live_server, live_app):
    _open_roster(page, live_server, live_app)
    row = page.locator("li.att-row").nth(7)
    name = row.locator(".att-name").inner_text()
    row.get_by_role("link", name=f"Observation sur {name}").click()
    panel = page.get_by_role("dialog", name=f"Observation sur {name}")
    box = panel.get_by_label("Ce que vous avez observé")
    # The server's limit, not the field's: the phone's copy must come back whole.
    page.evaluate(
        "document.querySelectorAll('dialog textarea').forEach(t => t.removeAttribute('maxlength'))"
    )
    too_long = "Très long. " * 200
    box.fill(too_long)
    panel.get_by_role("button", name="Enregistrer").click()
    expect(panel.get_by_role("status")).to_contain_text("Non enregistrée")
    expect(box).to_have_value(too_long)
    # Another person's panel does not get this text; coming back to this person brings it back.
    panel.get_by_role("button", name="Fermer").click()
    other = page.locator("li.att-row").nth(8)
    other_name = other.locator(".att-name").inner_text()
    other.get_by_role("link", name=f"Observation sur {other_name}").click()
    expect(
        page.get_by_role("dialog", name=f"Observation sur {other_name}").get_by_label(
            "Ce que vous avez observé"
        )
    ).to_have_value("")
    page.keyboard.press("Escape")
    row.get_by_role("link", name=f"Observation sur {name}").click()
    expect(box).to_have_value(too_long)


def test_an_urgent_situation_from_the_roster_with_and_without_network(page, live_server, live_app):
    from siae_app.models import UrgentSituation

    _open_roster(page, live_server, live_app)
    row = page.locator("li.att-row").nth(9)
    name = row.locator(".att-name").inner_text()
    page.context.set_offline(True)  # at the bottom of the chantier, no network
    row.get_by_role("link", name=re.compile("situation urgente")).click()
    page.get_by_role("link", name=f"Situation urgente : {name}", exact=True).click()
    panel = page.get_by_role("dialog", name=f"Situation urgente : {name}")
    panel.get_by_text("Accident").click()
    text = f"{name} s'est coupé la main avec la cisaille, soigné sur place."
    panel.get_by_label("En quelques mots").fill(text)
    check_page(page, "panneau de situation urgente")
    panel.get_by_role("button", name="Signaler").click()
    expect(panel.get_by_role("status")).to_contain_text("appelez dès maintenant le référent")
    expect(panel.get_by_label("En quelques mots")).to_have_value("")
    panel.get_by_role("button", name="Fermer").click()
    page.context.set_offline(False)

    def saved():
        with live_app.app_context():
            tenancy.activate_system(db.session)
            found = db.session.scalars(
                select(UrgentSituation).where(UrgentSituation.text == text)
            ).all()
            result = [s.kind for s in found]
            db.session.remove()
        return result

    deadline = time.monotonic() + 10
    while not saved() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert saved() == ["accident"]
    # Back online, the sent queue reloads the roster by itself: let it end, then reload.
    page.wait_for_load_state("networkidle")
    page.reload()
    # With network, the panel says it reached the référent and coordination.
    row = page.locator("li.att-row").nth(9)
    row.get_by_role("link", name=re.compile("situation urgente")).click()
    page.get_by_role("link", name=f"Situation urgente : {name}", exact=True).click()
    panel = page.get_by_role("dialog", name=f"Situation urgente : {name}")
    panel.get_by_text("Conflit").click()
    panel.get_by_label("En quelques mots").fill("Dispute au déjeuner, calmée.")
    panel.get_by_role("button", name="Signaler").click()
    expect(panel.get_by_role("status")).to_have_text(
        "Situation urgente signalée : le référent et la coordination sont prévenus."
    )
    assert page.console_errors == []


def test_without_script_a_row_opens_with_its_forms(browser, live_server, live_app):
    """« Absent » and « … » are links: without script they open the roster with that row's
    forms in full, which post like the panels."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    url = _fresh_roster(live_app)
    sign_in(page, live_server, ETI)
    page.goto(f"{live_server}{url}")
    row = page.locator("li.att-row").nth(4)
    row_id = row.get_attribute("id")
    name = row.locator(".att-name").inner_text()
    row.get_by_role("link", name=f"Absent : {name}").click()
    assert page.url.endswith(f"?salarie={row_id[4:]}#{row_id}")
    row = page.locator(f"#{row_id}")
    assert page.locator(".att-opened").count() == 1  # that row only
    row.get_by_role("group", name=f"Motif de l'absence : {name}").get_by_role(
        "button", name="Congé"
    ).click()
    expect(page.locator(f"#{row_id}")).to_contain_text("Absent·e (Congé)")
    assert page.locator(".att-opened").count() == 0  # back to the roster, rows closed
    page.locator(f"#{row_id}").get_by_role("link", name=re.compile("^Plus : retard")).click()
    row = page.locator(f"#{row_id}")
    row.get_by_label("Statut").select_option("left_early")
    row.get_by_label("Heures travaillées").fill("3")
    row.get_by_role("button", name=f"Enregistrer : {name}").click()
    expect(page.locator(f"#{row_id}")).to_contain_text("Départ anticipé · 3 h")
    context.close()
    _fresh_roster(live_app)  # the other flows mark this team: leave it as found
