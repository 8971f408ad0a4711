"""At 390 px: the CIP reads the demo salarié's immersions (a convention renewed once, with
its outcome and the days left with the host), then types a convention longer than a month:
refused with the French reason on the « Fin » field, what was typed kept; axe-core clean."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Immersion, Structure
from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

SLUG = "jardins-du-val"


def _immersed(app):
    with app.app_context():
        tenancy.activate_system(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        employee_id = db.session.scalar(
            select(Immersion.employee_id).where(Immersion.structure_id == structure.id).limit(1)
        )
        db.session.remove()
    return employee_id


def test_a_convention_past_one_month_is_refused_at_390px(page, live_server, live_app):
    page.set_viewport_size({"width": 390, "height": 844})
    employee_id = _immersed(live_app)
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/{SLUG}/salaries/{employee_id}")
    page.get_by_role("link", name="Immersions (PMSMP)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Immersions (PMSMP)")
    expect(page.locator("main")).to_contain_text("Renouvellement avec Pépinière des Coteaux")
    expect(page.locator("main")).to_contain_text("(objectifs non atteints)")
    expect(page.locator("main")).to_contain_text("Jours restants avec Pépinière des Coteaux")
    check_page(page, "immersions du salarié")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "immersions-list-390.png"), full_page=True)
    page.get_by_role("link", name="Nouvelle convention d'immersion").click()
    check_page(page, "nouvelle convention")
    start = date.today()
    page.get_by_label("Structure d'accueil").select_option(label="Pépinière des Coteaux")
    page.get_by_label("Objet de l'immersion").select_option("recruter")
    page.get_by_label("Objectifs").fill("Tenir le comptoir une saison.")
    page.get_by_label("Début").fill(start.isoformat())
    page.get_by_label("Fin", exact=True).fill((start + timedelta(days=40)).isoformat())
    page.get_by_label("Nombre de jours d'immersion").fill("12")
    page.get_by_role("button", name="Enregistrer la convention").click()
    error = page.locator("#end_date-error")
    expect(error).to_contain_text("un mois au plus, de date à date")
    expect(page.get_by_label("Objectifs")).to_have_value("Tenir le comptoir une saison.")
    check_page(page, "convention refusée")
    page.screenshot(path=str(ARTIFACTS / "immersion-refused-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "immersion-refused-1280.png"), full_page=True)
