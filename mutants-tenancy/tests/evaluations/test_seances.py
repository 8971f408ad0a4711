"""Séances d'apprentissage (AFEST): planned, held with a reflexive note, then evaluated."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import LearningSession, LearningStatus
from tests import factories as f
from tests.evaluations.helpers import base, link_framework
from tests.site import text_of


def test_an_eti_plans_a_seance_then_records_it(world, client_for, session):
    site = world.a
    link_framework(site)
    competency = site.framework.competencies[1]
    client = client_for(site.member("eti"))
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}/seances",
        data={
            "competency_id": str(competency.id),
            "work_situation": "",
            "planned_on": date.today().isoformat(),
        },
    )
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}/seances",
        data={
            "competency_id": str(competency.id),
            "work_situation": "Désherber un massif sans abîmer les vivaces.",
            "planned_on": date.today().isoformat(),
        },
    )
    assert r.status_code == 303
    seance = session.scalar(
        select(LearningSession).where(LearningSession.work_situation.like("Désherber%"))
    )
    assessment = site.evaluations["assessment"]
    r = client.post(
        f"{base(site)}/seances/{seance.id}",
        data={
            "status": "held",
            "reflection": "Il explique comment il reconnaît les vivaces.",
            "assessment_id": str(assessment.id),
        },
    )
    assert r.status_code == 303
    assert seance.status == LearningStatus.HELD and seance.assessment_id == assessment.id
    page = text_of(client.get(f"{base(site)}/seances/{seance.id}"))
    assert "Il explique comment il reconnaît les vivaces." in page and "Réalisée" in page
    comp_page = text_of(
        client.get(f"/s/{site.slug}/salaries/{site.employee.id}/competences/{competency.id}")
    )
    assert "Séances d'apprentissage" in comp_page and "Désherber un massif" in comp_page


def test_a_seance_links_only_an_assessment_of_the_same_salarie(world, client_for):
    site = world.a
    seance = site.evaluations["seance"]
    other = f.make_assessment(
        site.member("coordinator"), site.other_employee, site.evaluations["grid"]
    )
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"{base(site)}/seances/{seance.id}",
        data={"status": "held", "reflection": "Texte gardé", "assessment_id": str(other.id)},
    )
    assert r.status_code == 422 and "Texte gardé" in text_of(r)
    assert seance.assessment_id is None


def test_a_future_seance_cannot_be_held(world, client_for):
    site = world.a
    seance = f.make_seance(
        site.member("eti"),
        site.employee,
        site.framework.competencies[0],
        planned_on=date.today() + timedelta(days=3),
    )
    r = client_for(site.member("eti")).post(
        f"{base(site)}/seances/{seance.id}", data={"status": "held"}
    )
    assert r.status_code == 422 and "à venir" in text_of(r)


def test_cip_reads_seances_and_eti_outside_team_gets_404(world, client_for):
    site = world.a
    seance = site.evaluations["seance"]
    cip = client_for(site.member("cip"))
    page = text_of(cip.get(f"{base(site)}/seances/{seance.id}"))
    assert "Tailler une haie" in page and "Enregistrer la séance" not in page
    other = f.make_seance(
        site.member("coordinator"), site.other_employee, site.framework.competencies[0]
    )
    assert client_for(site.member("eti")).get(f"{base(site)}/seances/{other.id}").status_code == 404
