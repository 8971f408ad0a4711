"""Freins (level, history, concurrent edits), atouts, objectifs, axes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from siae_app.models import Barrier, ChangeRecord, PathwayObjective, Strength
from tests import factories as f
from tests.site import text_of


def _url(site, path):
    return f"/s/{site.slug}/diagnostic{path}"


def test_cip_records_a_frein_with_blank_level_meaning_not_evaluated(world, client_for, session):
    site = world.a
    client = client_for(site.member("cip"))
    page = text_of(client.get(_url(site, f"/{site.employee.id}")))
    assert "Non évalué" in page and "Maîtrise du français" in page
    axis = f.diagnostic.axis(site.structure.id, "numerique")
    r = client.post(
        _url(site, f"/{site.employee.id}/freins"),
        data={"frein-axis_id": str(axis.id), "frein-status": "identifie", "frein-level": ""},
    )
    assert r.status_code == 303
    barrier = session.scalar(select(Barrier).where(Barrier.axis_id == axis.id))
    assert barrier.level is None
    assert "non évalué" in text_of(client.get(_url(site, f"/{site.employee.id}")))


def test_frein_history_and_stale_save(world, client_for, session):
    site = world.a
    barrier = site.followup["barrier"]
    client = client_for(site.member("cip"))
    data = {
        "frein-axis_id": str(barrier.axis_id),
        "frein-status": "en_cours",
        "frein-level": "3",
        "frein-comment": "Code de la route en cours",
        "frein-version_id": str(barrier.version_id),
    }
    r = client.post(_url(site, f"/freins/{barrier.id}"), data=data)
    assert r.status_code == 303
    page = text_of(client.get(r.location))
    assert "statut : Identifié → En cours de levée" in page
    assert "niveau : — → 3" in page
    records = session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == barrier.id)
    ).all()
    assert {r.field for r in records} == {"statut", "niveau", "commentaire"}
    assert not any(r.sensitive for r in records)
    # A second person saving from the old version gets a French message, input kept.
    data["frein-comment"] = "Version périmée"
    r = client_for(site.member("coordinator")).post(_url(site, f"/freins/{barrier.id}"), data=data)
    html = text_of(r)
    assert r.status_code == 422 and "Quelqu'un d'autre a modifié" in html
    assert "Version périmée" in html
    session.refresh(barrier)
    assert barrier.comment == "Code de la route en cours"


def test_bad_level_is_refused_at_the_field(world, client_for):
    site = world.a
    axis = f.diagnostic.axis(site.structure.id, "logement")
    r = client_for(site.member("eti")).post(
        _url(site, f"/{site.employee.id}/freins"),
        data={"frein-axis_id": str(axis.id), "frein-status": "identifie", "frein-level": "9"},
    )
    assert r.status_code == 422 and "N'est pas un choix valide." in text_of(r)


def test_atout_on_a_plain_axis_and_objective_dates(world, client_for, session):
    site = world.a
    client = client_for(site.member("cip"))
    axis = f.diagnostic.axis(site.structure.id, "mobilite")
    r = client.post(
        _url(site, f"/{site.employee.id}/atouts"),
        data={"atout-text": "Permis B et voiture", "atout-axis_id": str(axis.id)},
    )
    assert r.status_code == 303
    assert session.scalar(select(Strength).where(Strength.text == "Permis B et voiture"))
    santé = f.diagnostic.axis(site.structure.id, "sante")
    r = client.post(
        _url(site, f"/{site.employee.id}/atouts"),
        data={"atout-text": "x", "atout-axis_id": str(santé.id)},
    )
    assert r.status_code == 422
    too_early = site.employee.entry_date - timedelta(days=3)
    r = client.post(
        _url(site, f"/{site.employee.id}/objectifs"),
        data={
            "objectif-label": "Obtenir le code",
            "objectif-origin": "salarie",
            "objectif-status": "en_cours",
            "objectif-due_date": too_early.isoformat(),
            "objectif-barrier_id": str(site.followup["barrier"].id),
        },
    )
    html = text_of(r)
    assert r.status_code == 422 and "ne peut pas précéder l'arrivée" in html
    assert 'value="Obtenir le code"' in html
    assert (
        session.scalar(select(PathwayObjective).where(PathwayObjective.label == "Obtenir le code"))
        is None
    )


def test_axes_are_editable_per_structure(world, client_for):
    site = world.a
    client = client_for(site.member("coordinator"))
    r = client.post(_url(site, "/axes"), data={"label": "Garde d'enfants"})
    assert r.status_code == 303
    assert "Garde d'enfants" in text_of(client.get(_url(site, "/axes")))
    r = client.post(_url(site, "/axes"), data={"label": "mobilité"})
    assert r.status_code == 422 and "existe déjà" in text_of(r)
    assert "Garde d'enfants" not in text_of(
        client_for(world.b.member("coordinator")).get("/s/beta/diagnostic/axes")
    )


def test_objective_status_is_updated_and_linked_frein_shown(world, client_for, session):
    site = world.a
    objective = site.followup["objective"]
    client = client_for(site.member("eti"))
    page = text_of(client.get(_url(site, f"/{site.employee.id}")))
    assert "Passer le code de la route" in page and "frein lié : Mobilité" in page
    r = client.post(
        _url(site, f"/objectifs/{objective.id}"),
        data={
            "objectif-label": "Passer le code de la route",
            "objectif-origin": "salarie",
            "objectif-status": "realise",
            "objectif-barrier_id": str(site.followup["barrier"].id),
        },
    )
    assert r.status_code == 303
    session.refresh(objective)
    assert (objective.status, objective.origin) == ("realise", "salarie")
    html = text_of(
        client_for(site.member("director")).get(_url(site, f"/objectifs/{objective.id}"))
    )
    assert "Réalisé" in html and "Le salarié" in html


def test_objective_linked_to_a_sensitive_frein_is_hidden_from_direction(world, client_for):
    site = world.a
    santé = f.make_barrier(site.employee, site.member("cip"), "sante", comment="x")
    objective = f.ObjectiveFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        barrier_id=santé.id,
        label="Reprendre les soins",
    )
    director = client_for(site.member("director"))
    assert director.get(_url(site, f"/objectifs/{objective.id}")).status_code == 404
    assert "Reprendre les soins" not in text_of(director.get(_url(site, f"/{site.employee.id}")))
    cip = client_for(site.member("cip"))
    assert cip.get(_url(site, f"/objectifs/{objective.id}")).status_code == 200
