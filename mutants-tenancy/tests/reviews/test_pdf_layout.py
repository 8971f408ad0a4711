"""The bilan PDF looks finished: the structure's identity at the top, signature lines for the
salarié, the CIP and the prescripteur, dates written in French (« 1er »); a participant is
listed once."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from siae_app.models import ReviewStatus
from tests import factories as f
from tests.site import text_of


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _first_of_next_month() -> date:
    return (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)


def test_pdf_has_identity_signatures_and_french_dates(world, client_for, session):
    site = world.a
    site.structure.siret = "84213567901002"
    site.structure.address = "14 allée des Maraîchers, 45800 Saint-Jean-de-Braye"
    employee = site.employee
    employee.referent_id = site.member("cip").id
    employee.prescriber_org = "Mission locale du Val"
    employee.prescriber_contact = "Hugues Renaud"
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        kind="tripartite",
        status=ReviewStatus.HELD,
        cip_synthesis="Parcours régulier.",
        next_appointment_on=_first_of_next_month(),
    )
    session.commit()
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    text = _pdf_text(cip.get(base + "/pdf?exemplaire=salarie"))

    assert "14 allée des Maraîchers, 45800 Saint-Jean-de-Braye · SIRET 84213567901002" in text
    first = _first_of_next_month()
    month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"][first.month - 1]  # fmt: skip
    assert f"Prochain rendez-vous 1er {month} {first.year}" in text
    signatures = text.split("Signatures", 1)[1]
    for role, name in (
        ("Salarié·e", employee.display_name),
        ("Conseiller·ère en insertion (CIP)", site.member("cip").user.full_name),
        ("Prescripteur", "Hugues Renaud"),
    ):
        assert role in signatures and name in signatures
    assert "Mission locale du Val" in signatures
    assert signatures.count("Signature :") == 3 and signatures.count("Date :") == 3


def test_a_participant_is_added_once(world, client_for, session):
    site = world.a
    review = f.ReviewFactory(structure_id=site.structure.id, employee_id=site.employee.id)
    session.commit()
    cip = client_for(site.member("cip"))
    url = f"/s/{site.slug}/bilans/{review.id}/participants"
    first = {"name": "Hugues Renaud", "organisation": "Mission locale", "role": "Prescripteur"}
    assert cip.post(url, data=first).status_code == 303
    again = cip.post(url, data={**first, "name": "  hugues  RENAUD ", "role": "Référent"})
    assert again.status_code == 422
    page = text_of(again)
    assert "« Hugues Renaud » participe déjà à ce bilan" in page
    assert 'value="hugues  RENAUD"' in page and 'value="Référent"' in page
    session.refresh(review)
    assert [p.name for p in review.participants] == ["Hugues Renaud"]


def test_the_pmsmp_conventions_are_on_the_bilan_and_its_pdf(world, client_for, session):
    site = world.a
    convention = {
        "host": "Pépinière Bleue",
        "start": "2025-03-10",
        "end": "2025-03-20",
        "days": 7,
        "object": "Confirmer un projet professionnel",
        "renewal": True,
        "reached": "Non",
        "job_offer": False,
    }
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        kind="tripartite",
        status=ReviewStatus.HELD,
        compiled={"trainings": {"pmsmp_conventions": [convention], "pmsmp_days": 7}},
    )
    session.commit()
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    line = (
        "PMSMP (renouvellement) avec Pépinière Bleue du 10 mars 2025 au 20 mars 2025 : 7 jours, "
        "objet : Confirmer un projet professionnel — objectifs atteints : Non"
    )
    page = text_of(cip.get(base))
    assert line in page
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    assert line in _pdf_text(cip.get(base + "/pdf?exemplaire=salarie"))
