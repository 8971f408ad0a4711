"""Grilles d'évaluation: coordination builds them from frameworks; labels stay frozen."""

from __future__ import annotations

from sqlalchemy import select

from siae_app.models import Grid, GridItem
from tests.evaluations.helpers import base, link_framework
from tests.site import text_of


def test_coordination_creates_a_grid_filled_from_the_activity_frameworks(
    world, client_for, session
):
    site = world.a
    link_framework(site)
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"{base(site)}/grilles",
        data={
            "name": "Positionnement espaces verts",
            "activity_id": str(site.activity.id),
            "scale_id": str(site.scale.id),
            "fill": "y",
        },
    )
    assert r.status_code == 303
    grid = session.scalar(select(Grid).where(Grid.name == "Positionnement espaces verts"))
    assert len(grid.items) == len(site.framework.competencies)
    page = text_of(client.get(r.location))
    assert "Compétence 1 : respecter les consignes de sécurité" in page
    assert f"Savoir-être {site.slug}" in page  # the frozen source label
    assert "Grilles d'évaluation" in text_of(client.get(f"{base(site)}/grilles"))


def test_a_grid_without_a_name_is_refused_with_what_was_typed(world, client_for):
    site = world.a
    r = client_for(site.member("coordinator")).post(
        f"{base(site)}/grilles",
        data={"name": "  ", "description": "Pour les nouveaux", "scale_id": str(site.scale.id)},
    )
    html = text_of(r)
    assert r.status_code == 422 and "Ce champ est obligatoire." in html
    assert "Pour les nouveaux" in html


def test_only_coordination_manages_grids_and_sees_the_menu_entry(world, client_for):
    site = world.a
    for role in ("eti", "cip", "director", "admin"):
        client = client_for(site.member(role))
        assert client.get(f"{base(site)}/grilles").status_code == 403
        assert "Grilles d'évaluation" not in text_of(client.get(f"/s/{site.slug}/"))
    assert "Grilles d'évaluation" in text_of(
        client_for(site.member("coordinator")).get(f"/s/{site.slug}/")
    )


def test_a_grid_keeps_its_labels_when_the_framework_changes(world, client_for, session):
    site = world.a
    grid = site.evaluations["grid"]
    competency = site.framework.competencies[0]
    competency.title = "Intitulé réécrit dans le référentiel"
    session.commit()
    page = text_of(client_for(site.member("coordinator")).get(f"{base(site)}/grilles/{grid.id}"))
    assert "Compétence 1 : respecter les consignes de sécurité" in page
    assert "Intitulé réécrit" not in page.split("Ajouter des compétences")[0]


def test_add_competencies_with_their_criteria_and_remove_an_item(world, client_for, session):
    site = world.a
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"{base(site)}/grilles", data={"name": "Grille critères", "scale_id": str(site.scale.id)}
    )
    grid = session.scalar(select(Grid).where(Grid.name == "Grille critères"))
    competency = site.framework.competencies[0]
    r = client.post(
        f"{base(site)}/grilles/{grid.id}/competences",
        data={"competency_ids": [str(competency.id)], "with_criteria": "y"},
    )
    assert r.status_code == 303
    items = session.scalars(select(GridItem).where(GridItem.grid_id == grid.id)).all()
    assert len(items) == 1 + len(competency.criteria)
    assert "Critère : Critère 1.1" in text_of(client.get(f"{base(site)}/grilles/{grid.id}"))
    # Adding the same competency again adds nothing.
    client.post(
        f"{base(site)}/grilles/{grid.id}/competences", data={"competency_ids": [str(competency.id)]}
    )
    assert session.scalar(
        select(GridItem).where(GridItem.grid_id == grid.id).order_by(GridItem.position.desc())
    ).position == len(items)
    r = client.post(f"{base(site)}/grilles/{grid.id}/competences", data={})
    assert r.status_code == 422 and "Cochez au moins une compétence." in text_of(r)
    r = client.post(f"{base(site)}/grilles/{grid.id}/elements/{items[1].id}/retirer")
    assert r.status_code == 303 and items[1].is_archived


def test_a_removed_item_stays_in_past_assessments(world, client_for, session):
    site = world.a
    grid, assessment = site.evaluations["grid"], site.evaluations["assessment"]
    item = grid.items[0]
    client_for(site.member("coordinator")).post(
        f"{base(site)}/grilles/{grid.id}/elements/{item.id}/retirer"
    )
    page = text_of(client_for(site.member("eti")).get(f"{base(site)}/{assessment.id}"))
    assert item.label in page
