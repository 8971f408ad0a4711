"""At 390 px: the CIP reads the handover at the sortie of the demo leaver, ticks the last
documents handed (htmx swaps the checklist) and unticks it again; axe-core clean."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, ExitHandoverItem, Structure
from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

SLUG = "jardins-du-val"


def _leaver(app):
    with app.app_context():
        tenancy.activate_system(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        employee_id = db.session.scalar(
            select(ExitHandoverItem.employee_id)
            .join(Employee, Employee.id == ExitHandoverItem.employee_id)
            .where(Employee.structure_id == structure.id)
            .limit(1)
        )
        db.session.remove()
    return employee_id


def test_the_handover_checklist_at_390px(page, live_server, live_app):
    page.set_viewport_size({"width": 390, "height": 844})
    employee_id = _leaver(live_app)
    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/{SLUG}/salaries/{employee_id}#remise")
    checklist = page.locator("#remise")
    expect(checklist.get_by_role("heading", name="Remise des documents de sortie")).to_be_visible()
    expect(checklist).to_contain_text("3 sur 6")
    expect(checklist).to_contain_text("Remis le")
    check_page(page, "fiche : remise des documents")
    checklist.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "handover-390.png"), full_page=True)
    card = page.locator("#remise-documents_remis")
    card.get_by_label("Remis le").fill("2020-01-01")
    card.get_by_role("button", name="Cocher « Documents remis au salarié »").click()
    expect(page.locator("#remise-documents_remis")).to_contain_text("ne peut pas précéder")
    check_page(page, "remise refusée")
    page.locator("#remise-documents_remis").screenshot(
        path=str(ARTIFACTS / "handover-refused-390.png")
    )
    card = page.locator("#remise-documents_remis")
    card.get_by_label("Remis le").fill("")
    card.get_by_role("button", name="Cocher « Documents remis au salarié »").click()
    expect(page.locator("#remise")).to_contain_text("4 sur 6")
    expect(page.locator("#remise-documents_remis")).to_contain_text("Remis le")
    check_page(page, "remise cochée")
    page.locator("#remise").screenshot(path=str(ARTIFACTS / "handover-ticked-390.png"))
    # The date and « Décocher » of a handed document are folded under one button.
    page.locator("#remise-documents_remis summary", has_text="Modifier ou décocher").click()
    page.get_by_role("button", name="Décocher « Documents remis au salarié »").click()
    expect(page.locator("#remise")).to_contain_text("3 sur 6")
    assert [e for e in page.console_errors if "422" not in e] == []
