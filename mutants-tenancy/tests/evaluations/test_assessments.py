"""Assessments: levels or « non évalué », evidence, validations, lock, recorded reopening."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import Assessment, AssessmentEvidence, AssessmentReopening
from tests import factories as f
from tests.evaluations.helpers import base, level, observation
from tests.querycount import count_queries
from tests.site import text_of


def _line(item, **fields) -> dict:
    prefix = f"l{item.position}-"
    return {prefix + k: v for k, v in fields.items()}


def test_an_eti_starts_an_assessment_and_sets_levels(world, client_for, session):
    site = world.a
    grid = site.evaluations["grid"]
    client = client_for(site.member("eti"))
    page = text_of(client.get(f"{base(site)}/salarie/{site.employee.id}"))
    assert "Commencer une évaluation" in page and grid.name in page
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}",
        data={"grid_id": str(grid.id), "kind": "initial", "assessed_on": date.today().isoformat()},
    )
    assert r.status_code == 303
    assessment = session.scalar(select(Assessment).where(Assessment.kind == "initial"))
    assert [i.label for i in assessment.items] == [i.label for i in grid.items]
    first = assessment.items[0]
    r = client.post(
        f"{base(site)}/{assessment.id}/lignes/{first.id}",
        data=_line(first, level_id=str(level(site, "A").id), comment="Très soigneux."),
    )
    assert r.status_code == 303
    assert first.level_label == "Acquis" and first.counts_as_acquired and first.level_rank == 3
    assert "ligne=1" in r.location  # the line says it was saved (htmx swaps that line only)
    assert "Enregistré : Acquis." in text_of(client.get(r.location))
    page = text_of(client.get(f"{base(site)}/{assessment.id}"))
    assert "Positionnement initial" in page and "Très soigneux." in page
    assert "Non évalué" in page  # the other lines


def test_non_evalue_is_no_level_and_a_foreign_level_is_refused(world, client_for):
    site = world.a
    assessment = site.evaluations["assessment"]
    item = assessment.items[0]
    client = client_for(site.member("eti"))
    url = f"{base(site)}/{assessment.id}/lignes/{item.id}"
    assert client.post(url, data=_line(item, level_id=str(level(site, "NE").id))).status_code == 303
    assert item.level_id is None and item.level_rank is None and not item.counts_as_acquired
    other_scale_level = world.b.scale.levels[3]
    r = client.post(url, data=_line(item, level_id=str(other_scale_level.id), comment="gardé"))
    assert r.status_code == 422
    html = text_of(r)
    assert "ne fait pas partie de l'échelle" in html and "gardé" in html


def _validate(site, client_eti, client_cip, assessment):
    url = f"{base(site)}/{assessment.id}"
    return [
        client_eti.post(f"{url}/vu-avec-le-salarie"),
        client_eti.post(f"{url}/validation-eti"),
        client_cip.post(f"{url}/validation-cip"),
    ]


def test_validation_needs_seen_with_the_salarie_then_locks(world, client_for, session):
    site = world.a
    assessment = site.evaluations["assessment"]
    eti, cip = client_for(site.member("eti")), client_for(site.member("cip"))
    url = f"{base(site)}/{assessment.id}"
    r = eti.post(f"{url}/validation-eti")
    assert r.status_code == 303 and assessment.eti_validated_at is None
    assert "vue avec le salarié" in text_of(eti.get(r.location))
    assert eti.post(f"{url}/vu-avec-le-salarie").status_code == 303
    assert "Valider comme CIP" in text_of(cip.get(url))
    assert "Valider comme CIP" not in text_of(eti.get(url))
    assert "Valider comme encadrant" not in text_of(cip.get(url))
    assert eti.post(f"{url}/validation-eti").status_code == 303
    assert cip.post(f"{url}/validation-cip").status_code == 303
    assert assessment.is_locked
    assert assessment.seen_with_employee_by_id == site.member("eti").id
    assert assessment.cip_validated_by_id == site.member("cip").id
    page = text_of(eti.get(url))
    assert "validée et verrouillée" in page and "Valider comme encadrant" not in page
    assert f"/lignes/{assessment.items[0].id}" not in page  # no line form
    item = assessment.items[0]
    r = eti.post(f"{url}/lignes/{item.id}", data=_line(item, level_id=""))
    assert r.status_code == 422 and "verrouillée" in text_of(r)
    assert item.level_label == "En cours d'acquisition"


def test_a_correction_reopens_with_a_recorded_motif(world, client_for, session):
    site = world.a
    assessment = site.evaluations["assessment"]
    eti, cip = client_for(site.member("eti")), client_for(site.member("cip"))
    _validate(site, eti, cip, assessment)
    url = f"{base(site)}/{assessment.id}/rouvrir"
    r = eti.post(url, data={"motif": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = eti.post(url, data={"motif": "Erreur de niveau sur la sécurité"})
    assert r.status_code == 303
    assert not assessment.is_locked
    assert assessment.eti_validated_at is None and assessment.cip_validated_at is None
    assert assessment.seen_with_employee_at is None
    reopening = session.scalar(select(AssessmentReopening))
    assert reopening.motif == "Erreur de niveau sur la sécurité"
    assert reopening.by_id == site.member("eti").id
    assert "Erreur de niveau sur la sécurité" in text_of(eti.get(f"{base(site)}/{assessment.id}"))


def test_roles_on_an_assessment(world, client_for):
    site = world.a
    assessment = site.evaluations["assessment"]
    item = assessment.items[0]
    url = f"{base(site)}/{assessment.id}"
    cip = client_for(site.member("cip"))
    assert cip.get(url).status_code == 200
    assert cip.post(f"{url}/lignes/{item.id}", data={}).status_code == 403
    assert cip.post(f"{url}/validation-eti").status_code == 403
    assert client_for(site.member("eti")).post(f"{url}/validation-cip").status_code == 403
    director = client_for(site.member("director"))
    page = text_of(director.get(url))
    assert "En cours d'acquisition" in page and "Enregistrer" not in page
    assert director.post(f"{url}/vu-avec-le-salarie").status_code == 403
    assert client_for(site.member("admin")).get(url).status_code == 403


def test_an_eti_gets_404_outside_their_teams(world, client_for, session):
    site = world.a
    other = f.make_assessment(
        site.member("coordinator"), site.other_employee, site.evaluations["grid"]
    )
    name = site.other_employee.display_name
    eti = client_for(site.member("eti"))
    for r in (
        eti.get(f"{base(site)}/{other.id}"),
        eti.get(f"{base(site)}/salarie/{site.other_employee.id}"),
        eti.post(f"{base(site)}/{other.id}/vu-avec-le-salarie"),
    ):
        assert r.status_code == 404 and "Page introuvable" in text_of(r)
        assert name not in text_of(r)
    session.refresh(other)
    assert other.seen_with_employee_at is None
    page = client_for(site.member("coordinator")).get(f"{base(site)}/{other.id}")
    assert page.status_code == 200 and name in text_of(page)


def test_evidence_is_picked_from_observations_citing_the_competency(world, client_for):
    site = world.a
    assessment = site.evaluations["assessment"]
    item = assessment.items[0]
    competency = site.framework.competencies[0]
    seen = observation(site, site.member("eti"), competency, "Porte ses EPI sans rappel.")
    hidden = observation(
        site, site.member("cip"), competency, "Difficultés personnelles évoquées.", sensitive=True
    )
    other_comp = observation(site, site.member("eti"), site.framework.competencies[1], "Autre")
    item.evidence.append(
        AssessmentEvidence(structure_id=site.structure.id, observation_id=hidden.id)
    )
    eti = client_for(site.member("eti"))
    page = text_of(eti.get(f"{base(site)}/{assessment.id}"))
    assert "Porte ses EPI sans rappel." in page and "Difficultés personnelles" not in page
    url = f"{base(site)}/{assessment.id}/lignes/{item.id}"
    r = eti.post(
        url, data=_line(item, level_id=str(level(site, "A").id), evidence_ids=[str(other_comp.id)])
    )
    assert r.status_code == 422 and "ne cite pas cette compétence" in text_of(r)
    r = eti.post(
        url, data=_line(item, level_id=str(level(site, "A").id), evidence_ids=[str(seen.id)])
    )
    assert r.status_code == 303
    # The CIP's sensitive evidence, which the ETI cannot see, is kept.
    assert {e.observation_id for e in item.evidence} == {seen.id, hidden.id}
    page = text_of(client_for(site.member("cip")).get(f"{base(site)}/{assessment.id}"))
    assert "data-sensitive" in page and "Difficultés personnelles évoquées." in page


def test_a_self_assessment_is_answered_in_plain_words(world, client_for, session):
    site = world.a
    assessment = f.make_assessment(
        site.member("eti"), site.employee, site.evaluations["grid"], kind="self"
    )
    item = assessment.items[0]
    eti = client_for(site.member("eti"))
    page = text_of(eti.get(f"{base(site)}/{assessment.id}"))
    assert "Je sais faire avec de l'aide" in page and "Lisez chaque phrase" in page
    r = eti.post(
        f"{base(site)}/{assessment.id}/lignes/{item.id}", data=_line(item, self_answer="can")
    )
    assert r.status_code == 303 and item.self_answer == "can" and item.level_id is None
    r = eti.post(
        f"{base(site)}/{assessment.id}/lignes/{item.id}", data=_line(item, self_answer="peut-être")
    )
    assert r.status_code == 422 and "Choisissez une des réponses proposées." in text_of(r)


def test_the_assessment_page_does_not_grow_queries_with_items(world, client_for, session):
    site = world.a
    eti = client_for(site.member("eti"))
    small = site.evaluations["assessment"]
    big_grid = f.make_grid(site.framework, "Grille longue", with_criteria=True)
    big = f.make_assessment(site.member("eti"), site.employee, big_grid, codes=["A", "ECA", "M"])
    competency = site.framework.competencies[0]
    for n in range(3):
        observation(site, site.member("eti"), competency, f"Observation {n}")
    assert len(big.items) > 2 * len(small.items)
    eti.get(f"{base(site)}/{small.id}")
    with count_queries() as few:
        eti.get(f"{base(site)}/{small.id}")
    with count_queries() as many:
        page = text_of(eti.get(f"{base(site)}/{big.id}"))
    assert "Observation 2" in page
    assert many.count == few.count, many.statements


def test_ids_of_another_structure_in_a_form_are_refused(world, client_for, session):
    site, other = world.a, world.b
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}",
        data={
            "grid_id": str(other.evaluations["grid"].id),
            "kind": "initial",
            "assessed_on": date.today().isoformat(),
        },
    )
    assert r.status_code == 422 and "Choisissez une grille." in text_of(r)
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}/objectifs",
        data={
            "competency_id": str(site.framework.competencies[0].id),
            "target_level_id": str(other.scale.levels[3].id),
        },
    )
    assert r.status_code == 422 and "Choisissez le niveau visé." in text_of(r)
    r = client.post(
        f"{base(site)}/salarie/{site.employee.id}/seances",
        data={
            "competency_id": str(other.framework.competencies[0].id),
            "work_situation": "Ranger l'atelier",
            "planned_on": date.today().isoformat(),
        },
    )
    assert r.status_code == 422 and "Choisissez la compétence travaillée." in text_of(r)


def test_only_the_year_before_the_assessment_is_offered_as_evidence(world, client_for):
    site = world.a
    assessment = site.evaluations["assessment"]
    competency = site.framework.competencies[0]
    old = observation(site, site.member("eti"), competency, "Observation de l'an dernier")
    old.observed_on = assessment.assessed_on - timedelta(days=400)
    observation(site, site.member("eti"), competency, "Observation du mois")
    page = text_of(client_for(site.member("eti")).get(f"{base(site)}/{assessment.id}"))
    assert "Observation du mois" in page and "Observation de l'an dernier" not in page
