"""The handover at the sortie on the salarié's file: each document ticked with its date and
who recorded it, refused dates kept as typed (422), untick with history, who may do what."""

from __future__ import annotations

from datetime import date, timedelta

from siae_app.extensions import db
from siae_app.models import ReviewStatus
from siae_app.services import history
from tests import factories as f
from tests.employees.helpers import file_url, system
from tests.site import text_of

TODAY = date.today()
LEFT = TODAY - timedelta(days=10)
HANDOVER = "Remise des documents de sortie"  # the history names the entity so


def _leave(client, site, employee=None):
    employee = employee or site.employee
    answer = client.post(
        file_url(site, employee, path="/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": LEFT.isoformat(),
            "exit_kind": "emploi_transition",
            "exit_reason": "cdd_moins_6m",
        },
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    db.session.refresh(employee)
    return employee


def _tick(client, site, employee, item, day="", **extra):
    data = {"item": item, "done_on": day, **extra}
    return client.post(file_url(site, employee, path="/sortie/remise"), data=data)


def test_the_checklist_appears_once_the_sortie_is_recorded(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    assert "Remise des documents de sortie" not in text_of(client.get(file_url(site)))
    _leave(client, site)
    page = text_of(client.get(file_url(site)))
    assert "Remise des documents de sortie" in page and "0 sur 6" in page
    for label in (
        "Certificat de travail",
        "Attestation employeur (France Travail)",
        "Solde de tout compte",
        "Attestation de compétences",
        "Bilan de sortie tenu",
        "Documents remis au salarié",
    ):
        assert f"Cocher « {label} »" in page
    # the salarié's signed attestation is linked; no bilan de sortie is validated yet
    assert f"/attestations/{site.attestation.id}" in page
    assert "Aucun bilan de sortie validé." in page


def test_tick_with_its_date_and_who_then_untick_with_history(world, client_for):
    site = world.a
    cip = site.member("cip")
    client = client_for(cip)
    employee = _leave(client, site)
    day = LEFT - timedelta(days=2)  # the certificat was ready before the last day
    answer = _tick(client, site, employee, "certificat_travail", day.strftime("%d/%m/%Y"))
    assert answer.status_code == 303, text_of(answer)
    page = text_of(client.get(answer.location))
    assert "Remise des documents mise à jour." in page
    assert f"Remis le {day:%d/%m/%Y}</span> par {cip.user.full_name}" in page
    assert "1 sur 6" in page and "Décocher « Certificat de travail »" in page
    system()
    lines = [e for e in history.of_employee(db.session, employee.id) if e.entity == HANDOVER]
    assert [(e.field, e.old, e.new) for e in lines] == [
        ("Certificat de travail remis le", None, f"{day:%d/%m/%Y}")
    ]
    answer = _tick(client, site, employee, "certificat_travail", undo="y")
    assert answer.status_code == 303, text_of(answer)
    page = text_of(client.get(answer.location))
    assert "0 sur 6" in page and "Cocher « Certificat de travail »" in page
    system()
    lines = [e for e in history.of_employee(db.session, employee.id) if e.entity == HANDOVER]
    assert (lines[0].field, lines[0].old, lines[0].new) == (
        "Certificat de travail remis le",
        f"{day:%d/%m/%Y}",
        None,
    )
    history_page = text_of(client.get(file_url(site, employee, path="/historique")))
    assert "Remise des documents de sortie" in history_page


def test_an_empty_date_means_today(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    employee = _leave(client, site)
    assert _tick(client, site, employee, "solde_tout_compte").status_code == 303
    assert f"Remis le {TODAY:%d/%m/%Y}" in text_of(client.get(file_url(site)))


def test_refused_dates_answer_422_with_what_was_typed(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    employee = _leave(client, site)
    future = TODAY + timedelta(days=1)
    answer = _tick(client, site, employee, "certificat_travail", future.isoformat())
    html = text_of(answer)
    assert answer.status_code == 422
    assert "La date ne peut pas être dans le futur." in html
    assert f'value="{future.isoformat()}"' in html
    too_early = LEFT - timedelta(days=31)
    answer = _tick(client, site, employee, "attestation_employeur", too_early.isoformat())
    html = text_of(answer)
    assert answer.status_code == 422
    first = LEFT - timedelta(days=30)
    assert (
        f"La remise ne peut pas précéder de plus de 30 jours la sortie du {LEFT:%d/%m/%Y} : "
        f"indiquez une date à partir du {first:%d/%m/%Y}."
    ) in html
    assert f'value="{too_early.isoformat()}"' in html
    answer = _tick(client, site, employee, "attestation_employeur", "32/13/2026")
    assert answer.status_code == 422 and "Date illisible" in text_of(answer)
    assert "0 sur 6" in text_of(client.get(file_url(site)))


def test_no_signed_attestation_asks_why(world, client_for):
    site = world.a
    employee = site.other_employee  # no attestation de compétences
    client = client_for(site.member("cip"))
    _leave(client, site, employee)
    page = text_of(client.get(file_url(site, employee)))
    assert "Aucune attestation de compétences signée : indiquez pourquoi en cochant." in page
    answer = _tick(client, site, employee, "attestation_competences", note="  ")
    html = text_of(answer)
    assert answer.status_code == 422
    assert "Aucune attestation de compétences signée : indiquez pourquoi." in html
    reason = "Parcours trop court pour évaluer les compétences"
    answer = _tick(client, site, employee, "attestation_competences", note=reason)
    assert answer.status_code == 303, text_of(answer)
    page = text_of(client.get(file_url(site, employee)))
    assert f'Pas d\'attestation : <span class="prewrap">{reason}</span>' in page
    system()
    fields = {e.field for e in history.of_employee(db.session, employee.id)}
    assert "Motif : pas d'attestation de compétences" in fields


def test_validated_bilan_de_sortie_is_linked(world, client_for, session):
    site = world.a
    client = client_for(site.member("cip"))
    _leave(client, site)
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        kind="exit",
        status=ReviewStatus.VALIDATED,
        held_on=LEFT,
    )
    session.commit()
    page = text_of(client.get(file_url(site)))
    assert f"/bilans/{review.id}" in page
    assert f"Bilan de sortie validé (tenu le {LEFT:%d/%m/%Y})" in page


def test_htmx_gets_the_checklist_back(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    employee = _leave(client, site)
    answer = client.post(
        file_url(site, employee, path="/sortie/remise"),
        data={"item": "documents_remis", "done_on": ""},
        headers={"HX-Request": "true"},
    )
    html = text_of(answer)
    assert answer.status_code == 200 and html.lstrip().startswith('<section id="remise"')
    assert "1 sur 6" in html


def test_eti_sees_the_checklist_but_cannot_tick(world, client_for):
    site = world.a
    _leave(client_for(site.member("cip")), site)
    eti = client_for(site.member("eti"))
    page = text_of(eti.get(file_url(site)))
    assert "Remise des documents de sortie" in page and "Cocher « " not in page
    answer = _tick(eti, site, site.employee, "certificat_travail")
    assert answer.status_code == 403 and "Accès refusé" in text_of(answer)


def test_before_the_sortie_a_tick_is_refused(world, client_for):
    site = world.a
    answer = _tick(client_for(site.member("cip")), site, site.employee, "certificat_travail")
    assert answer.status_code == 422
    assert "Enregistrez d'abord la sortie : la remise des documents la suit." in text_of(answer)
