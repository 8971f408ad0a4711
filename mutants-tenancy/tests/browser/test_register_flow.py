"""The direction's « Registre des traitements » on a 360 px phone: found in the navigation,
read (axe, 44 px targets, no sideways scroll), its PDF downloaded, a duration lengthened
after a refusal that keeps what was typed."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import main_nav, sign_in

S = "/s/jardins-du-val"
MOTIF = "Financement FSE+ : pièces gardées jusqu'au 31 décembre 2031."


def test_the_direction_reads_the_register_and_lengthens_a_duration(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in(page, live_server, "direction.jardins@example.org")
    page.wait_for_url(lambda url: "/connexion" not in url)
    page.goto(live_server + f"{S}/")
    main_nav(page).get_by_role("link", name="Registre des traitements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des traitements")
    expect(
        page.get_by_role(
            "heading", name="Données sensibles (santé, justice, situation personnelle)"
        )
    ).to_be_visible()
    expect(page.get_by_text("Aucune purge pour l'instant.")).to_be_visible()
    check_page(page, "registre des traitements")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "register-360.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le registre (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="Modifier les durées de conservation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Durées de conservation")
    check_page(page, "durées de conservation")
    group = page.get_by_role("group", name="Dossier d'accompagnement")
    group.get_by_label("Durée (mois)").fill("61")
    group.get_by_label("Motif").fill(MOTIF)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La durée ne peut pas dépasser 60 mois.")).to_be_visible()
    group = page.get_by_role("group", name="Dossier d'accompagnement")
    expect(group.get_by_label("Motif")).to_have_value(MOTIF)
    check_page(page, "durées refusées")
    group.get_by_label("Durée (mois)").fill("36")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Durées enregistrées.")).to_be_visible()
    expect(page.get_by_role("heading", name="Dossier d'accompagnement : 3 ans")).to_be_visible()
    expect(page.get_by_text(MOTIF)).to_be_visible()
    check_page(page, "registre après allongement")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "register-1280.png"), full_page=True)
    # The refusal itself is a 422 answer; nothing else goes wrong.
    assert [e for e in errors if "422" not in e] == []
    context.close()
