"""Importing a REAC (text or PDF) or an exchange file: preview first, save on confirmation."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from siae_app.models import Competency, Criterion, Framework, FrameworkImport
from tests.frameworks.helpers import newer_reac_bytes, reac_bytes, upload
from tests.site import text_of

EXPECTED = {"blocks": 3, "competencies": 10, "transversal": 4, "criteria": 87}


def counts_in(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _frameworks_count(session, structure_id):
    return session.scalar(
        select(func.count(Framework.id)).where(Framework.structure_id == structure_id)
    )


def test_reac_text_preview_then_confirm(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    before = _frameworks_count(session, world.a.structure.id)
    r = upload(client, world.a.slug, "reac-eti.txt", reac_bytes())
    assert r.status_code == 303
    preview = client.get(r.location)
    html = text_of(preview)
    assert counts_in(html) == EXPECTED
    assert "Encadrant technique d’insertion" in html
    assert "TP-00448" in html and "ETI" in html
    assert "rien n'est encore enregistré" in html
    assert _frameworks_count(session, world.a.structure.id) == before  # nothing saved yet

    draft_id = r.location.rstrip("/").split("/")[-1]
    done = client.post(f"/s/{world.a.slug}/referentiels/importer/{draft_id}/confirmer")
    assert done.status_code == 303
    fw = session.scalar(select(Framework).where(Framework.code == "TP-00448"))
    assert fw.structure_id == world.a.structure.id and fw.is_read_only
    assert fw.acronym == "ETI" and fw.level == "4"
    page = text_of(client.get(done.location))
    assert "Référentiel « Encadrant technique d’insertion » enregistré (version 1)." in page
    assert len(fw.blocks) == 3
    comps = session.scalars(select(Competency).where(Competency.framework_id == fw.id)).all()
    assert sum(c.kind == "professional" for c in comps) == 10
    assert sum(c.kind == "transversal" and c.block_id is None for c in comps) == 4
    n_criteria = session.scalar(
        select(func.count(Criterion.id)).where(Criterion.framework_id == fw.id)
    )
    assert n_criteria == 87
    # Confirming twice does not save twice.
    again = client.post(f"/s/{world.a.slug}/referentiels/importer/{draft_id}/confirmer")
    assert again.status_code == 303
    assert session.scalar(select(func.count()).where(Framework.code == "TP-00448")) == 1


def test_a_newer_import_of_the_same_titre_is_a_new_version(world, client_for, session):
    client = client_for(world.a.member("admin"))
    ids = []
    for data in (reac_bytes(), newer_reac_bytes()):
        r = upload(client, world.a.slug, "reac.txt", data)
        preview = text_of(client.get(r.location))
        draft_id = r.location.rstrip("/").split("/")[-1]
        ids.append(draft_id)
        client.post(f"/s/{world.a.slug}/referentiels/importer/{draft_id}/confirmer")
    assert "l'import créera la version 2" in preview
    versions = session.scalars(
        select(Framework).where(Framework.code == "TP-00448").order_by(Framework.version_number)
    ).all()
    assert [v.version_number for v in versions] == [1, 2]
    page = text_of(client.get(f"/s/{world.a.slug}/referentiels/{versions[1].id}"))
    assert "Version 1" in page and "Version 2 (affichée)" in page
    assert client.get(f"/s/{world.a.slug}/referentiels/{versions[0].id}").status_code == 200


def test_reac_pdf_upload(world, client_for):
    pdf_module = pytest.importorskip("tests.frameworks.test_pdf_text")
    pdf_module.require_font()
    data = pdf_module.make_pdf(
        reac_bytes().decode("utf-8"),
        pdf_module.RUNNING_HEADER,
        ["ETI", "REAC", "TP-00448", "06", "14/10/2024", "14/10/2024"],
        font_size=10.5,
    )
    client = client_for(world.a.member("coordinator"))
    r = upload(client, world.a.slug, "REAC_ETI.pdf", data)
    assert r.status_code == 303
    assert counts_in(text_of(client.get(r.location))) == EXPECTED


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("vide.txt", b"", "Le fichier est vide."),
        ("lettre.docx", b"PK\x03\x04 un document Word", "Type de fichier non pris en charge"),
        ("gros.txt", b"a" * (10 * 1024 * 1024 + 1), "la limite est de 10 Mo"),
        ("faux.pdf", b"%PDF-1.4 tronque", "PDF"),
        (
            "lettre.txt",
            "Madame, Monsieur,\nJe vous écris au sujet du chantier.\nCordialement.".encode(),
            "REAC",
        ),
        ("export.json", b'{"format": "parcours-siae-referentiel", ', "JSON"),
        ("grille.csv", b"titre;texte\nA;B\n", "Ligne"),
    ],
)
def test_bad_files_get_a_french_message_and_nothing_is_saved(
    world, client_for, session, filename, data, message
):
    client = client_for(world.a.member("coordinator"))
    drafts = session.scalar(select(func.count(FrameworkImport.id)))
    frameworks = session.scalar(select(func.count(Framework.id)))
    r = upload(client, world.a.slug, filename, data)
    html = text_of(r)
    assert r.status_code == 422
    assert message in html
    assert 'class="error" id="file-error"' in html
    assert session.scalar(select(func.count(FrameworkImport.id))) == drafts
    assert session.scalar(select(func.count(Framework.id))) == frameworks


def test_missing_file(world, client_for):
    r = client_for(world.a.member("coordinator")).post(
        f"/s/{world.a.slug}/referentiels/importer", data={}, content_type="multipart/form-data"
    )
    assert r.status_code == 422 and "Choisissez un fichier à importer." in text_of(r)


def test_text_in_another_encoding_is_read(world, client_for):
    latin1 = reac_bytes().decode("utf-8").replace("’", "'").encode("cp1252", errors="replace")
    client = client_for(world.a.member("coordinator"))
    r = upload(client, world.a.slug, "reac-ancien.txt", latin1)
    assert r.status_code == 303
    assert counts_in(text_of(client.get(r.location)))["competencies"] == 10


def test_json_and_csv_round_trip_through_the_app(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    fw = world.a.framework
    for ext in ("json", "csv"):
        exported = client.get(f"/s/{world.a.slug}/referentiels/{fw.id}/export.{ext}")
        assert exported.status_code == 200
        assert "attachment" in exported.headers["Content-Disposition"]
        r = upload(client, world.a.slug, f"export.{ext}", exported.data)
        assert r.status_code == 303, text_of(r)
        draft_id = r.location.rstrip("/").split("/")[-1]
        done = client.post(f"/s/{world.a.slug}/referentiels/importer/{draft_id}/confirmer")
        new_id = done.location.rstrip("/").split("/")[-1]
        again = client.get(f"/s/{world.a.slug}/referentiels/{new_id}/export.json")
        original = json.loads(
            client.get(f"/s/{world.a.slug}/referentiels/{fw.id}/export.json").data
        )
        assert json.loads(again.data)["activites"] == original["activites"]
        assert (
            json.loads(again.data)["competences_transversales"]
            == original["competences_transversales"]
        )


def test_draft_of_another_structure_is_not_found(world, client_for):
    r = client_for(world.a.member("coordinator")).get(
        f"/s/{world.a.slug}/referentiels/importer/{world.b.draft.id}"
    )
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    assert "Gestes beta" not in text_of(r)
