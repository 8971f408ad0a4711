"""At 390 px, the renewal circuit of a demo salarié whose contract ends soon: the ETI finds
it on their home and gives an opinion (an empty field refused in French, what was typed kept),
the CIP proposes, the direction decides from its home and the avenant is in the file; axe-core
clean on every page."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, Membership, RenewalStatus, Structure, User
from siae_app.permissions import scopes
from siae_app.services import renewals
from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in, sign_out

SLUG = "jardins-du-val"


def _waiting_for_the_eti(app) -> str:
    """The display name of a salarié of eti.jardins's teams whose opinion is waited for."""
    with app.app_context():
        tenancy.activate_system(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == SLUG))
        eti = db.session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.email == "eti.jardins@example.org", Membership.structure_id == structure.id)
        )
        with tenancy.tenant_scope(db.session, structure.id):
            found = renewals.open_circuits(
                db.session, scopes.employees(eti, select(Employee)), structure, date.today()
            )
            name = next(c.employee.display_name for c in found if c.stage == RenewalStatus.OPINION)
        db.session.remove()
    return name


def test_the_renewal_circuit_at_390px(page, live_server, live_app):
    page.set_viewport_size({"width": 390, "height": 844})
    name = _waiting_for_the_eti(live_app)
    main = page.locator("main")

    sign_in(page, live_server, "eti.jardins@example.org")
    due = page.locator("section.renewals-due")
    expect(due.get_by_role("heading")).to_have_text("Renouvellements : votre avis est attendu")
    check_page(page, "accueil de l'ETI avec les avis attendus")
    due.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avis sur le renouvellement")
    expect(main).to_contain_text("Depuis le début du contrat")
    page.get_by_label("Le travail").fill("Tient son poste au désherbage, soigne le matériel.")
    page.get_by_label("Les progrès").fill("Travaille seul·e sur une parcelle.")
    page.get_by_label("Favorable avec réserves").check()
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.locator("#attendance-error")).to_contain_text("Ce champ est obligatoire")
    expect(page.get_by_label("Le travail")).to_have_value(
        "Tient son poste au désherbage, soigne le matériel."
    )
    check_page(page, "avis refusé")
    page.screenshot(path=str(ARTIFACTS / "renewal-opinion-refused-390.png"), full_page=True)
    page.get_by_label("L'assiduité").fill("Deux retards en un mois, repris avec la CIP.")
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(main).to_contain_text("Avis enregistré : la CIP peut faire sa proposition.")
    expect(main).to_contain_text("Proposition de la CIP attendue")
    check_page(page, "circuit après l'avis")
    circuit_url = page.url
    sign_out(page)

    sign_in(page, live_server, "cip.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(circuit_url)
    page.get_by_role("link", name="Faire la proposition").click()
    page.get_by_label("Renouveler le contrat").check()
    page.get_by_label("Durée du renouvellement (mois)").fill("6")
    page.get_by_role("button", name="Enregistrer la proposition").click()
    expect(main).to_contain_text("Décision de la direction attendue")
    check_page(page, "circuit après la proposition")
    sign_out(page)

    sign_in(page, live_server, "direction.jardins@example.org")
    decide = page.locator("section.renewals-due")
    expect(decide.get_by_role("heading")).to_have_text("Renouvellements à décider")
    decide.get_by_role("link", name=name).click()
    expect(page.get_by_label("Renouveler le contrat")).to_be_checked()
    expect(page.get_by_label("Durée du renouvellement (mois)")).to_have_value("6")
    check_page(page, "décision")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(main).to_contain_text("Décision enregistrée.")
    expect(main).to_contain_text("Avenant du")
    check_page(page, "circuit décidé")
    page.screenshot(path=str(ARTIFACTS / "renewal-decided-390.png"), full_page=True)
