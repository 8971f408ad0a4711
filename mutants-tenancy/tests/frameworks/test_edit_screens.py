"""Editing on a phone: one block per page, htmx answers in place, short pages; large trees."""

from __future__ import annotations

import re

from sqlalchemy import select

from siae_app import tenancy
from siae_app.blueprints.forms_common import CONTROL_MESSAGE
from siae_app.extensions import db
from siae_app.models import Framework
from tests import factories as f
from tests.frameworks.helpers import confirm, reac_bytes, upload
from tests.htmx import assert_swap_renders_page
from tests.site import text_of

HX = {"HX-Request": "true"}


def _base(world):
    return f"/s/{world.a.slug}/referentiels"


def _reac_copy(world, client, session) -> Framework:
    r = upload(client, world.a.slug, "reac.txt", reac_bytes())
    confirm(client, world.a.slug, r.location)
    reac = session.scalar(select(Framework).where(Framework.code == "TP-00448"))
    client.post(f"{_base(world)}/{reac.id}/dupliquer")
    return session.scalar(select(Framework).where(Framework.title == f"{reac.title} (copie)"))


def test_the_reac_copy_is_edited_one_block_at_a_time_on_short_pages(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    copy = _reac_copy(world, client, session)
    base = f"{_base(world)}/{copy.id}"
    overview = client.get(f"{base}/edition")
    html = text_of(overview)
    assert overview.status_code == 200
    assert (
        len(re.findall(r'<li class="card[ "]', html)) == 3
    )  # the three activités types, one line each
    assert "Bloc 1 : " in html and "compétences ·" in html
    assert "Compétences transversales" in html and "4 compétences transversales" in html
    assert len(overview.data) < 25_000
    pages = [f"{base}/edition/blocs/{b.id}" for b in copy.blocks]
    pages.append(f"{base}/edition/transversales")
    sizes = {}
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200
        sizes[url] = len(page.data)
        assert "← Tous les blocs de « " in text_of(page)
    assert max(sizes.values()) < 60_000, sizes
    transversal = text_of(client.get(pages[-1]))
    assert "<h1>Compétences transversales</h1>" in transversal
    assert "Ajouter la compétence transversale" in transversal


def _block_page(world, client, fw):
    block = fw.blocks[0]
    url = f"{_base(world)}/{fw.id}/edition/blocs/{block.id}"
    return url, client.get(url).get_data(as_text=True)


def test_an_inline_criterion_edit_answers_its_competency(world, client_for, session):
    fw = world.a.framework
    client = client_for(world.a.member("coordinator"))
    url, before = _block_page(world, client, fw)
    comp = fw.blocks[0].competencies[0]
    crit = comp.criteria[0]
    r = client.post(
        f"{_base(world)}/{fw.id}/criteres/{crit.id}",
        data={"text": "Porte les gants et le casque"},
        headers=HX,
    )
    fragment = r.get_data(as_text=True)
    assert r.status_code == 200
    assert fragment.lstrip().startswith(f'<li class="edit-comp" id="comp-{comp.id}"')
    assert "Porte les gants et le casque" in text_of(r) and "<html" not in fragment
    assert_swap_renders_page(before, fragment, f"#comp-{comp.id}", client.get(url).data.decode())
    # The same form's « ↓ » button moves the criterion, and the answer is the competency again.
    before = client.get(url).get_data(as_text=True)
    r = client.post(
        f"{_base(world)}/{fw.id}/criteres/{crit.id}",
        data={"text": "Porte les gants et le casque", "op": "down"},
        headers=HX,
    )
    assert r.status_code == 200
    html = text_of(r)
    assert html.index("Critère 1.2 : porte") < html.index("Porte les gants et le casque")
    assert_swap_renders_page(
        before, r.data.decode(), f"#comp-{comp.id}", client.get(url).data.decode()
    )


def test_a_refused_criterion_answers_422_with_the_message_in_place(world, client_for):
    fw = world.a.framework
    client = client_for(world.a.member("coordinator"))
    comp = fw.blocks[0].competencies[0]
    r = client.post(
        f"{_base(world)}/{fw.id}/competences/{comp.id}/criteres", data={"text": "  "}, headers=HX
    )
    html = text_of(r)
    assert r.status_code == 422
    assert f'id="comp-{comp.id}"' in html and "<html" not in html
    error = f'<p class="error" id="new-crit-{comp.id}-error" role="alert">'
    assert f"{error}Le critère est obligatoire.</p>" in html
    crit = comp.criteria[0]
    typed = "Porte les gants " + "x" * 2000
    r = client.post(f"{_base(world)}/{fw.id}/criteres/{crit.id}", data={"text": typed}, headers=HX)
    html = text_of(r)
    assert r.status_code == 422 and "<html" not in html
    assert "2000 caractères au maximum." in html
    assert f">{typed}</textarea>" in html  # what was typed comes back, in place
    assert crit.text == "Critère 1.1 : porte les équipements"
    r = client.post(
        f"{_base(world)}/{fw.id}/competences/{comp.id}",
        data={"title": "Tondre\x00", "description": "Ma description tapée"},
        headers=HX,
    )
    html = text_of(r)
    assert r.status_code == 422
    assert CONTROL_MESSAGE in html and "Ma description tapée" in html
    assert comp.title != "Tondre\x00"


def test_moving_a_competency_with_htmx_keeps_the_user_on_the_block(world, client_for, session):
    fw = world.a.framework
    client = client_for(world.a.member("coordinator"))
    url, before = _block_page(world, client, fw)
    first, second = fw.blocks[0].competencies
    r = client.post(
        f"{_base(world)}/{fw.id}/competences/{first.id}/ordre",
        data={"direction": "down"},
        headers=HX,
    )
    assert r.status_code == 200
    html = text_of(r)
    assert html.lstrip().startswith('<div id="edition">')
    assert html.index(f'id="comp-{second.id}"') < html.index(f'id="comp-{first.id}"')
    assert_swap_renders_page(before, r.data.decode(), "#edition", client.get(url).data.decode())
    # Without JavaScript: back to the same block page, at the competency.
    r = client.post(
        f"{_base(world)}/{fw.id}/competences/{first.id}/ordre", data={"direction": "up"}
    )
    assert r.status_code == 303
    assert r.location.endswith(f"/edition/blocs/{fw.blocks[0].id}#comp-{first.id}")


def test_a_refused_move_on_a_read_only_reac_says_so(world, client_for):
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        reac = f.make_framework("Titre pro importé", source="reac")
    db.session.commit()
    client = client_for(world.a.member("coordinator"))
    crit = reac.competencies[0].criteria[0]
    r = client.post(
        f"{_base(world)}/{reac.id}/criteres/{crit.id}/ordre", data={"direction": "up"}, headers=HX
    )
    assert r.status_code == 422
    assert "Un REAC importé est en lecture seule" in text_of(r)
    r = client.post(
        f"{_base(world)}/{reac.id}/criteres/{crit.id}/ordre", data={"direction": "sideways"}
    )
    assert r.status_code == 422 and "Sens de déplacement inconnu." in text_of(r)


def test_large_tree_page_loads_blocks_when_opened(world, client_for):
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        big = f.make_framework("Très grand référentiel", blocks=10, comps=50, criteria=10)
    db.session.commit()
    client = client_for(world.a.member("eti"))
    page = client.get(f"{_base(world)}/{big.id}")
    html = text_of(page)
    assert page.status_code == 200
    assert len(page.data) < 150_000  # not megabytes: closed blocks are loaded on opening
    second = big.blocks[1]
    block_url = f"{_base(world)}/{big.id}/blocs/{second.id}"
    lazy = re.search(
        rf'<div class="tree-lazy" hx-get="{block_url}"[^>]*>\s*<a href="{block_url}">', html
    )
    assert lazy and 'hx-trigger="toggle once from:closest details"' in lazy.group(0)
    assert "Compétence 60 : respecter" not in html
    fragment = client.get(block_url, headers=HX)
    assert fragment.status_code == 200
    assert text_of(fragment).lstrip().startswith('<ol class="tree-comps">')
    assert "Compétence 60 : respecter les consignes de sécurité" in text_of(fragment)
    full = text_of(client.get(block_url))  # without JavaScript: a page of its own
    assert "<html" in full and "Compétence 60 : respecter" in full and "← Très grand" in full
    transversal = text_of(client.get(f"{_base(world)}/{big.id}/transversales"))
    assert "Travailler en équipe" in transversal


def test_control_characters_give_a_french_message_not_a_500(world, client_for):
    client = client_for(world.a.member("coordinator"))
    r = client.post(f"{_base(world)}/nouveau", data={"title": "Gestes\x00 pro"})
    assert r.status_code == 422 and CONTROL_MESSAGE in text_of(r)
    fw = world.a.framework
    r = client.post(f"{_base(world)}/{fw.id}/modifier", data={"title": "Nom\x00"})
    assert r.status_code == 422 and CONTROL_MESSAGE in text_of(r)
    r = client.post(f"/s/{world.a.slug}/echelles/nouvelle", data={"name": "Échelle\x00"})
    assert r.status_code == 422 and CONTROL_MESSAGE in text_of(r)
    scale = world.a.scale
    r = client.post(f"/s/{world.a.slug}/echelles/{scale.id}", data={"name": "Échelle\x00"})
    assert r.status_code == 422 and CONTROL_MESSAGE in text_of(r)
    level = scale.levels[0]
    r = client.post(
        f"/s/{world.a.slug}/echelles/{scale.id}/niveaux/{level.id}",
        data={"label": "Acq\x00uis", "code": "AC", "color": "#112233"},
    )
    assert r.status_code == 422 and CONTROL_MESSAGE in text_of(r)
    assert "\x00" not in fw.title and "\x00" not in scale.name and "\x00" not in level.label
