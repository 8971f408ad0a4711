"""« Mon espace » on a 360 px phone: the CIP opens a salarié's personal link and records the
code the salarié chose; on another browser (the salarié's phone) the link alone asks for the
code, a wrong code says how many tries are left, the right one opens the space; the salarié
reads their parcours, downloads a document, asks for a copy of their data; five wrong codes
lock the link; closing the space sends the open phone back to the code page. Every screen is
checked (axe, 44 px targets, no sideways scroll) and photographed for the notes."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from siae_app import tenancy
from siae_app.demo.personal_space import DEMO_CODE, demo_secret
from siae_app.extensions import db
from siae_app.models import Employee, Structure
from siae_app.models.personal_space import PersonalAccess
from tests.browser.conftest import ARTIFACTS, check_page
from tests.browser.test_foundation_flow import sign_in

S = "/s/jardins-du-val"
CODE = "739164"
PHONE = {"viewport": {"width": 360, "height": 780}, "locale": "fr-FR"}


def _demo(live_app):
    """A salarié in parcours without a space yet, and the demo space's link."""
    with live_app.app_context():
        tenancy.activate_system(db.session)
        structure = db.session.scalar(select(Structure).where(Structure.slug == "jardins-du-val"))
        opened = set(db.session.scalars(select(PersonalAccess.employee_id)))
        employee = next(
            e
            for e in db.session.scalars(
                select(Employee)
                .where(
                    Employee.structure_id == structure.id,
                    Employee.exit_date.is_(None),
                    Employee.team_id.is_not(None),
                )
                .order_by(Employee.last_name)
            )
            if e.id not in opened
        )
        found = (
            employee.id,
            employee.first_name,
            demo_secret(structure, "documents"),
            demo_secret(structure, "parcours"),
        )
        db.session.remove()
    return found


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"espace-{name}-360.png"), full_page=True)


def _enter(page, link, code):
    page.goto(link)
    page.get_by_label("Mon code (6 chiffres)").fill(code)
    page.get_by_role("button", name="Ouvrir").click()


def _cip_opens_a_link(browser, live_server, employee_id):
    """The CIP's page: the link made (with its handout), the salarié's code recorded."""
    staff = browser.new_context(**PHONE)
    cip = staff.new_page()
    sign_in(cip, live_server, "cip.jardins@example.org")
    cip.wait_for_url(lambda url: "/connexion" not in url)
    cip.goto(f"{live_server}{S}/salaries/{employee_id}")
    cip.get_by_role("link", name="Espace personnel").click()
    expect(cip.get_by_role("heading", level=1)).to_contain_text("Espace personnel")
    check_page(cip, "espace, page de la CIP")
    cip.get_by_role("button", name="Faire le lien personnel").click()
    expect(cip.get_by_role("heading", name="Fiche à remettre au salarié")).to_be_visible()
    expect(cip.get_by_role("img", name="QR code du lien personnel")).to_be_visible()
    check_page(cip, "fiche du lien")
    _shot(cip, "fiche-cip")
    link = cip.locator(".handout code").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server)}/mon-espace/#[A-Za-z0-9_-]{{40,}}", link)
    cip.get_by_label("Code choisi par le salarié (6 chiffres)").fill(CODE)
    cip.get_by_role("button", name="Enregistrer le code").click()
    expect(cip.get_by_text("Code enregistré.")).to_be_visible()
    return cip, link


def _salarie_reads_their_space(phone, link, first_name, code=CODE):
    """A wrong code, the right one, then each screen, a download and a request."""
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ouvrir mon espace")
    expect(phone.get_by_label("Mon lien")).to_be_hidden()  # read from the address
    check_page(phone, "code")
    _shot(phone, "code")
    _enter(phone, link, "000111")
    expect(phone.get_by_text("Ce code n'est pas le bon. Il vous reste 4 essais.")).to_be_visible()
    check_page(phone, "code refusé")
    _enter(phone, link, CODE)
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Bonjour {first_name}")
    expect(phone.get_by_role("heading", name="Mes rendez-vous")).to_be_visible()
    check_page(phone, "mon parcours")
    _shot(phone, "parcours")

    phone.get_by_role("link", name="Mes documents").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes documents")
    check_page(phone, "mes documents")
    _shot(phone, "documents")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger la notice (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    phone.get_by_role("link", name="Mes données").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes données")
    check_page(phone, "mes données")
    _shot(phone, "donnees")
    phone.get_by_label("Une correction").check()
    phone.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone.get_by_text("Écrivez ce qu'il faut corriger.")).to_be_visible()
    phone.get_by_label("Ce qu'il faut corriger (ou une précision)").fill("Mon nouveau numéro.")
    phone.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone.get_by_text("Votre demande est envoyée.")).to_be_visible()
    phone.get_by_label("Une copie de mes données").check()
    phone.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone.get_by_text("Votre demande est envoyée.")).to_be_visible()
    expect(phone.get_by_text("Vous avez déjà 2 demandes en attente de réponse.")).to_be_visible()

    # The space closes on this phone while a request is being typed: nothing is lost.
    typed = "Mon adresse : 3 rue des Lilas."
    phone.get_by_label("Une correction").check()
    phone.get_by_label("Ce qu'il faut corriger (ou une précision)").fill(typed)
    phone.context.clear_cookies(name="siae_espace")
    phone.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone.get_by_text("Votre espace s'est fermé sur ce téléphone.")).to_be_visible()
    expect(phone.get_by_text("elle sera restaurée")).to_be_visible()
    _enter(phone, link, code)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes données")
    expect(phone.get_by_label("Ce qu'il faut corriger (ou une précision)")).to_have_value(typed)
    expect(phone.get_by_text("Votre saisie a été restaurée")).to_be_visible()


def test_the_cip_opens_the_space_and_the_salarie_uses_it_on_their_phone(
    browser, live_app, live_server
):
    employee_id, first_name, _documents, _parcours = _demo(live_app)
    cip, link = _cip_opens_a_link(browser, live_server, employee_id)
    phone = browser.new_context(**PHONE).new_page()
    errors = []
    phone.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _salarie_reads_their_space(phone, link, first_name)

    # Another phone tries codes: the fifth wrong one locks the link.
    thief = browser.new_context(**PHONE).new_page()
    for _ in range(5):
        _enter(thief, link, "505050")
    expect(thief.get_by_text("Trop d'essais : ce lien est bloqué.")).to_be_visible()
    check_page(thief, "lien bloqué")
    _shot(thief, "bloque")

    cip.reload()
    expect(cip.get_by_text(re.compile(r"^Bloqué le .* après 5 codes faux"))).to_be_visible()
    cip.get_by_role("button", name="Débloquer le lien").click()
    expect(cip.get_by_text("Lien débloqué")).to_be_visible()
    cip.get_by_role("button", name="Fermer l'espace").click()
    expect(cip.get_by_text("Espace fermé")).to_be_visible()
    phone.get_by_role("link", name="Mes documents").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ouvrir mon espace")
    assert errors == [] or all("422" in e for e in errors), errors


def test_the_demo_salaries_use_their_documents_and_answer_a_self_assessment(
    browser, live_app, live_server
):
    _employee, _name, demo_link_secret, in_parcours_secret = _demo(live_app)
    # The demo's salarié downloads a signed attestation from their own space.
    holder = browser.new_context(**PHONE).new_page()
    _enter(holder, f"{live_server}/mon-espace/#{demo_link_secret}", DEMO_CODE)
    holder.get_by_role("link", name="Mes documents").click()
    with holder.expect_download() as download:
        holder.get_by_role("link", name=re.compile(r"Télécharger l'attestation du")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    holder.get_by_role("button", name="Quitter").click()
    expect(holder.get_by_role("heading", name="Vous avez quitté votre espace")).to_be_visible()
    check_page(holder, "quitter")

    # The demo's salarié in parcours answers the self-assessment the ETI opened.
    learner = browser.new_context(**PHONE).new_page()
    _enter(learner, f"{live_server}/mon-espace/#{in_parcours_secret}", DEMO_CODE)
    for name, heading in (
        ("Mes objectifs", "Mes objectifs"),
        ("Mes compétences", "Mes compétences"),
    ):
        learner.get_by_role("link", name=name).click()
        expect(learner.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(learner, name)
        _shot(learner, "objectifs" if "objectifs" in name else "competences")
    learner.get_by_role("link", name="Mon auto-évaluation").click()
    check_page(learner, "mon auto-évaluation")
    _shot(learner, "auto-evaluation-liste")
    learner.get_by_role("link", name=re.compile("Répondre")).first.click()
    card = learner.locator("ol.answer-cards > li").first
    card.locator("input[type=radio]").nth(1).check()
    check_page(learner, "auto-évaluation")
    _shot(learner, "auto-evaluation")
    card.get_by_role("button", name=re.compile("^Enregistrer")).click()
    expect(learner.get_by_text("Enregistré.").first).to_be_visible()
