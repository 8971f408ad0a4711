"""Opening, writing, brouillon → prêt → tenu → validé, locking and reopening; who may do what."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import ChangeRecord, ReviewStatus
from siae_app.models.reviews import Review, ReviewReopening
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.querycount import count_queries
from tests.site import text_of


def _open(client, site, employee, kind="intermediate"):
    r = client.post(f"/s/{site.slug}/bilans/salarie/{employee.id}", data={"kind": kind})
    assert r.status_code == 303, text_of(r)
    return r.location


def test_cip_and_eti_write_then_the_bilan_moves_to_validated_and_locks(world, client_for, session):
    site = world.a
    cip, eti = client_for(site.member("cip")), client_for(site.member("eti"))
    url = _open(cip, site, site.employee)
    review = session.scalar(select(Review).where(Review.kind == "intermediate"))
    page = text_of(cip.get(url))
    assert "Bilan intermédiaire" in page and "Brouillon" in page
    assert eti.post(url + "/eti", data={"eti_part": "Autonome sur la tondeuse."}).status_code == 303
    r = cip.post(url + "/etape", data={"to": "ready"})
    assert "Écrivez la synthèse" in text_of(cip.get(r.location))
    r = cip.post(
        url + "/synthese",
        data={
            "cip_synthesis": "Progression nette.",
            "employee_words": "Je me sens mieux dans l'équipe.",
            "renewal": "renew",
            "renewal_months": "6",
            "next_appointment_on": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 303
    for step in (ReviewStatus.READY, ReviewStatus.HELD, ReviewStatus.VALIDATED):
        assert cip.post(url + "/etape", data={"to": step}).status_code == 303
    session.refresh(review)
    assert review.status == ReviewStatus.VALIDATED and review.held_on == date.today()
    assert review.validated_by_id == site.member("cip").id
    assert review.eti_part == "Autonome sur la tondeuse." and review.renewal_months == 6
    page = text_of(cip.get(url))
    assert "Validé" in page and "Télécharger le PDF" in page and "Progression nette." in page
    # Locked: no part can be written any more.
    r = cip.post(url + "/synthese", data={"cip_synthesis": "Réécrit"})
    assert r.status_code == 422 and "rouvrez-le" in text_of(r)
    r = eti.post(url + "/eti", data={"eti_part": "Autre"})
    assert r.status_code == 422
    r = cip.post(url + "/rouvrir", data={"motif": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    assert cip.post(url + "/rouvrir", data={"motif": "Durée à corriger"}).status_code == 303
    session.refresh(review)
    assert review.status == ReviewStatus.HELD and review.validated_at is None
    reopening = session.scalar(select(ReviewReopening))
    assert reopening.motif == "Durée à corriger" and reopening.by_id == site.member("cip").id
    assert "Durée à corriger" in text_of(cip.get(url))
    fields = set(
        session.scalars(select(ChangeRecord.field).where(ChangeRecord.entity_id == review.id))
    )
    assert {"ouverture", "étape", "réouverture"} <= fields
    steps = session.execute(
        select(ChangeRecord.old_value, ChangeRecord.new_value).where(
            ChangeRecord.entity_id == review.id, ChangeRecord.field == "étape"
        )
    ).all()
    assert set(steps) == {("Brouillon", "Prêt"), ("Prêt", "Tenu"), ("Tenu", "Validé")}


def test_bad_input_is_refused_in_french_and_kept(world, client_for):
    site = world.a
    cip = client_for(site.member("cip"))
    url = _open(cip, site, site.employee)
    r = cip.post(url + "/synthese", data={"cip_synthesis": "Texte gardé", "renewal": "renew"})
    assert r.status_code == 422
    assert "Indiquez la durée proposée" in text_of(r) and "Texte gardé" in text_of(r)
    r = cip.post(url + "/participants", data={"name": "", "organisation": "Mission locale"})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = cip.post(f"/s/{site.slug}/bilans/salarie/{site.employee.id}", data={"kind": "intermediate"})
    assert r.status_code == 422 and "déjà en cours" in text_of(r)


def test_tripartite_records_participants_with_their_organisation(world, client_for, session):
    site = world.a
    cip = client_for(site.member("cip"))
    site.review.kind = "integration"
    session.commit()
    url = _open(cip, site, site.employee, kind="tripartite")
    r = cip.post(
        url + "/participants",
        data={"name": "Claire Vidal", "organisation": "France Travail", "role": "Prescriptrice"},
    )
    assert r.status_code == 303
    page = text_of(cip.get(url))
    assert "Claire Vidal" in page and "France Travail" in page and "Salarié" in page


def test_followups_and_highlights_in_one_gesture(world, client_for, session):
    site = world.a
    cip = client_for(site.member("cip"))
    site.review.period_end = date.today() - timedelta(days=30)
    obs = ObservationFactory(
        structure_id=site.structure.id, employee_id=site.employee.id, text="Range son poste"
    )
    session.commit()
    url = _open(cip, site, site.employee)
    review = session.scalar(select(Review).where(Review.kind == "intermediate"))
    action = next(fu for fu in review.followups if fu.kind == "action")
    r = cip.post(url + "/suites", data={"followup_id": str(action.id), "outcome": "not_done"})
    assert r.status_code == 303
    eti = client_for(site.member("eti"))
    assert (
        eti.post(url + "/faits-marquants", data={"observations": [str(obs.id)]}).status_code == 303
    )
    session.refresh(review)
    assert action.outcome == "not_done"
    assert [h.observation_id for h in review.highlights] == [obs.id]
    assert "Non faite" in text_of(cip.get(url))


def test_roles(world, client_for, session):
    site = world.a
    review = f.ReviewFactory(structure_id=site.structure.id, employee_id=site.other_employee.id)
    url = f"/s/{site.slug}/bilans/{review.id}"
    name = site.other_employee.display_name
    eti = client_for(site.member("eti"))

    def refused(r, code):
        text = text_of(r)
        return (
            r.status_code == code
            and ("Page introuvable" if code == 404 else "Accès refusé") in text
            and name not in text
        )

    # Outside the ETI's teams: not found, whatever the request.
    assert refused(eti.get(url), 404)
    assert refused(eti.post(url + "/eti", data={"eti_part": "Écrit hors équipe"}), 404)
    assert refused(eti.get(f"/s/{site.slug}/bilans/salarie/{site.other_employee.id}"), 404)
    # The ETI contributes but does not prepare; direction reads; the admin sees nothing.
    own = f"/s/{site.slug}/bilans/{site.review.id}"
    assert f"Parcours engagé {site.slug}" in text_of(eti.get(own))
    assert refused(eti.post(own + "/etape", data={"to": "ready"}), 403)
    director = client_for(site.member("director"))
    assert name in text_of(director.get(url))
    assert refused(director.post(url + "/eti", data={"eti_part": "Écrit par la direction"}), 403)
    assert refused(client_for(site.member("admin")).get(url), 403)
    session.refresh(review)
    assert review.eti_part in (None, "")  # neither the ETI's nor the direction's text
    assert session.get(Review, site.review.id).status == ReviewStatus.VALIDATED
    coordinator = client_for(site.member("coordinator"))
    assert coordinator.post(url + "/synthese", data={"cip_synthesis": "Vu"}).status_code == 303
    session.refresh(review)
    assert review.cip_synthesis == "Vu"
    # Another structure's bilan is not found.
    other = client_for(site.member("cip")).get(f"/s/{site.slug}/bilans/{world.b.review.id}")
    assert other.status_code == 404 and "Page introuvable" in text_of(other)
    assert f"Parcours engagé {world.b.slug}" not in text_of(other)


def test_pages_do_not_grow_with_the_data(world, client_for, session):
    site = world.a
    cip = client_for(site.member("cip"))
    site.review.period_end = date.today() - timedelta(days=30)
    session.commit()
    url = _open(cip, site, site.employee)
    listing = f"/s/{site.slug}/bilans/salarie/{site.employee.id}"
    cip.get(url), cip.get(listing)
    with count_queries() as small:
        cip.get(url)
    with count_queries() as small_list:
        cip.get(listing)
    review = session.scalar(select(Review).where(Review.kind == "intermediate"))
    for i in range(5):
        ObservationFactory(
            structure_id=site.structure.id, employee_id=site.employee.id, text=f"Observation {i}"
        )
        f.ReviewFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            status=ReviewStatus.VALIDATED,
        )
    cip.post(url + "/participants", data={"name": "Alex Martin"})
    cip.post(url + "/participants", data={"name": "Sam Petit"})
    assert review.id
    with count_queries() as big:
        cip.get(url)
    with count_queries() as big_list:
        cip.get(listing)
    assert big.count == small.count
    assert big_list.count == small_list.count
