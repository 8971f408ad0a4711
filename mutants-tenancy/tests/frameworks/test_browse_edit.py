"""Browsing, active search, editing a structure's own framework, duplication, read-only REAC."""

from __future__ import annotations

import re

from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Criterion, Framework
from tests import factories as f
from tests.querycount import count_queries
from tests.site import text_of


def _base(world):
    return f"/s/{world.a.slug}/referentiels"


def test_everyone_browses_the_tree_and_a_competency(world, client_for):
    fw = world.a.framework
    comp = fw.competencies[0]
    for role in ("eti", "cip", "coordinator", "director", "admin"):
        client = client_for(world.a.member(role))
        html = text_of(client.get(f"{_base(world)}/"))
        assert fw.title in html and world.b.framework.title not in html
        tree = text_of(client.get(f"{_base(world)}/{fw.id}"))
        assert "Bloc 1 du chantier" in tree and "<details" in tree
        assert "Compétences transversales de l'emploi" in tree
        detail = text_of(client.get(f"{_base(world)}/{fw.id}/competences/{comp.id}"))
        assert "Critère 1.1 : porte les équipements" in detail
    eti_tree = text_of(client_for(world.a.member("eti")).get(f"{_base(world)}/{fw.id}"))
    assert "Dupliquer" not in eti_tree and "Modifier" not in eti_tree


def test_active_search_returns_a_fragment_and_ignores_accents(world, client_for):
    client = client_for(world.a.member("eti"))
    r = client.get(f"{_base(world)}/recherche?q=securite", headers={"HX-Request": "true"})
    html = text_of(r)
    assert "<html" not in html
    assert "Compétence 1 : respecter les consignes de sécurité" in html
    r = client.get(f"{_base(world)}/recherche?q=EQUIPEMENTS porte", headers={"HX-Request": "true"})
    assert "Critère 1.1 : porte les équipements" in text_of(r)
    assert "Savoir-être beta" not in text_of(r)  # other structure's framework
    empty = client.get(f"{_base(world)}/recherche?q=tronçonneuse", headers={"HX-Request": "true"})
    assert "Aucune compétence ni aucun critère ne contient « tronçonneuse »." in text_of(empty)
    page = client.get(f"{_base(world)}/recherche?q=securite")
    assert "<html" in text_of(page)  # a direct visit gets the whole page


def test_search_in_a_500_criteria_framework_has_bounded_queries(world, client_for):
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        big = f.make_framework("Grand référentiel", blocks=10, comps=5, criteria=10)
    db.session.commit()
    assert (
        db.session.scalar(
            select(db.func.count(Criterion.id)).where(Criterion.framework_id == big.id)
        )
        == 501
    )  # 500 + the transversal one
    client = client_for(world.a.member("cip"))
    with count_queries() as small_q:
        client.get(f"{_base(world)}/recherche?q=zzz", headers={"HX-Request": "true"})
    with count_queries() as big_q:
        r = client.get(f"{_base(world)}/recherche?q=porte", headers={"HX-Request": "true"})
    assert "40 critères" in text_of(r)  # capped list
    assert big_q.count <= small_q.count + 4  # eager loads, never one query per result


def test_tree_page_query_count_does_not_grow_with_size(world, client_for):
    client = client_for(world.a.member("coordinator"))
    with count_queries() as small:
        client.get(f"{_base(world)}/{world.a.framework.id}")
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        big = f.make_framework("Très grand", blocks=6, comps=6, criteria=8)
    db.session.commit()
    with count_queries() as large:
        r = client.get(f"{_base(world)}/{big.id}")
    assert r.status_code == 200
    assert large.count == small.count


def test_create_and_edit_own_framework(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    r = client.post(f"{_base(world)}/nouveau", data={"title": "Entretien des espaces verts"})
    assert r.status_code == 303
    fw = session.scalar(select(Framework).where(Framework.title == "Entretien des espaces verts"))
    base = f"{_base(world)}/{fw.id}"
    assert client.post(f"{base}/blocs", data={"title": "Tonte"}).status_code == 303
    assert client.post(f"{base}/blocs", data={"title": "Taille"}).status_code == 303
    tonte, taille = fw.blocks
    client.post(f"{base}/blocs/{tonte.id}/competences", data={"title": "Tondre une pelouse"})
    comp = tonte.competencies[0]
    client.post(f"{base}/competences/{comp.id}/criteres", data={"text": "Vérifie le carburant"})
    client.post(f"{base}/competences/{comp.id}/criteres", data={"text": "Règle la hauteur"})
    client.post(f"{base}/transversales", data={"title": "Communiquer avec le client"})
    first, second = comp.criteria
    # Reorder: the second criterion goes up.
    client.post(f"{base}/criteres/{second.id}/ordre", data={"direction": "up"})
    assert [c.text for c in sorted(comp.criteria, key=lambda c: c.position)] == [
        "Règle la hauteur",
        "Vérifie le carburant",
    ]
    client.post(f"{base}/blocs/{taille.id}/ordre", data={"direction": "up"})
    assert taille.position < tonte.position
    # Rename, archive.
    client.post(f"{base}/competences/{comp.id}", data={"title": "Tondre une pelouse en sécurité"})
    assert comp.title == "Tondre une pelouse en sécurité"
    client.post(f"{base}/criteres/{first.id}/archiver")
    assert first.is_archived
    detail = text_of(client.get(f"{base}/competences/{comp.id}"))
    assert "Règle la hauteur" in detail and "Vérifie le carburant" not in detail
    overview = text_of(client.get(f"{base}/edition"))
    assert "Bloc 1 : Taille" in overview and "Bloc 2 : Tonte" in overview
    assert "1 compétence · 2 critères" in overview
    edition = text_of(client.get(f"{base}/edition/blocs/{tonte.id}"))
    assert "Vérifie le carburant" in edition and "Critère 2 (archivé)" in edition


def test_edit_errors_are_french_and_keep_input(world, client_for):
    fw = world.a.framework
    client = client_for(world.a.member("coordinator"))
    block = fw.blocks[0]
    r = client.post(
        f"{_base(world)}/{fw.id}/blocs/{block.id}/competences",
        data={"title": "  ", "description": "Ma description tapée"},
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "L'intitulé de la compétence est obligatoire." in html
    assert "Ma description tapée" in html
    r = client.post(f"{_base(world)}/nouveau", data={"title": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)


def test_imported_reac_is_read_only_and_can_be_duplicated(world, client_for, session):
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        reac = f.make_framework("Titre pro importé", source="reac")
    db.session.commit()
    client = client_for(world.a.member("coordinator"))
    base = f"{_base(world)}/{reac.id}"
    r = client.post(f"{base}/blocs", data={"title": "Bloc pirate"})
    assert r.status_code == 422
    assert "Un REAC importé est en lecture seule" in text_of(r)
    assert len(reac.blocks) == 1
    r = client.get(f"{base}/edition", follow_redirects=True)
    assert "utilisez « Dupliquer »" in text_of(r)
    r = client.post(f"{base}/dupliquer")
    assert r.status_code == 303
    copy = session.scalar(select(Framework).where(Framework.title == "Titre pro importé (copie)"))
    assert not copy.is_read_only
    assert len(copy.competencies) == len(reac.competencies)
    assert (
        client.post(f"{_base(world)}/{copy.id}/blocs", data={"title": "Bloc ajouté"}).status_code
        == 303
    )


def test_archive_framework_hides_it_from_the_list(world, client_for):
    fw = world.a.framework
    client = client_for(world.a.member("admin"))
    client.post(f"{_base(world)}/{fw.id}/archiver")
    assert fw.is_archived
    assert fw.title not in text_of(client.get(f"{_base(world)}/"))
    assert fw.title in text_of(client.get(f"{_base(world)}/?archives=1"))


def test_child_of_another_framework_in_url_is_404(world, client_for):
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        other = f.make_framework("Autre référentiel")
    db.session.commit()
    comp = other.competencies[0]
    r = client_for(world.a.member("eti")).get(
        f"{_base(world)}/{world.a.framework.id}/competences/{comp.id}"
    )
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    assert comp.title not in text_of(r)


def test_activity_lists_its_frameworks(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    fw = world.a.framework
    r = client.post(
        f"/s/{world.a.slug}/equipes/activites/{world.a.activity.id}/modifier",
        data={"name": world.a.activity.name, "framework_ids": [str(fw.id)]},
    )
    assert r.status_code == 303
    assert world.a.activity.name in text_of(client.get(f"{_base(world)}/{fw.id}"))
    form = text_of(
        client.get(f"/s/{world.a.slug}/equipes/activites/{world.a.activity.id}/modifier")
    )
    checked = re.search(r"<input[^>]*checked[^>]*>", form)
    assert checked and str(fw.id) in checked.group(0)
    bad = client.post(
        f"/s/{world.a.slug}/equipes/activites/{world.a.activity.id}/modifier",
        data={"name": world.a.activity.name, "framework_ids": [str(world.b.framework.id)]},
    )
    assert bad.status_code == 422
