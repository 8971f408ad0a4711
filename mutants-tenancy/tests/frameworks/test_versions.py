"""Versions of an imported REAC: an identical document is not imported again, a newer one is
the current version (banner on the older one, pickers and search offer the current one)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Framework
from siae_app.services.frameworks import queries, storage
from tests.frameworks.helpers import confirm, newer_reac_bytes, reac_bytes, upload
from tests.site import text_of


def _import(client, slug, data, name="reac.txt"):
    r = upload(client, slug, name, data)
    assert r.status_code == 303, text_of(r)
    return r.location


def _reac_versions(session):
    return session.scalars(
        select(Framework).where(Framework.code == "TP-00448").order_by(Framework.version_number)
    ).all()


def test_the_same_reac_three_times_is_imported_once(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    slug = world.a.slug
    first = _import(client, slug, reac_bytes())
    assert "Confirmer l'import" in text_of(client.get(first))
    confirm(client, slug, first)
    (fw,) = _reac_versions(session)
    for _ in range(2):
        again = _import(client, slug, reac_bytes(), "meme-reac.txt")
        html = text_of(client.get(again))
        assert "Déjà importé" in html
        assert "Ce document est identique au référentiel" in html
        assert f"« {fw.title} » (version 1)</a>" in html
        assert f'href="/s/{slug}/referentiels/{fw.id}"' in html
        assert "Confirmer l'import" not in html
        # Posting the confirmation anyway saves nothing and says why.
        done = confirm(client, slug, again)
        assert done.status_code == 303
        page = text_of(client.get(done.location))
        assert "n'est pas importé une seconde fois" in page
    assert len(_reac_versions(session)) == 1


def test_the_digest_of_stored_rows_equals_the_uploaded_document(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    slug = world.a.slug
    confirm(client, slug, _import(client, slug, reac_bytes()))
    (fw,) = _reac_versions(session)
    assert storage.identical_version(session, storage.to_parsed(fw)) == fw
    changed = storage.to_parsed(fw)
    changed.blocks[0].competencies[0].criteria[0].text += " (corrigé)"
    assert storage.identical_version(session, changed) is None


def test_a_newer_version_is_the_current_one(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    slug = world.a.slug
    confirm(client, slug, _import(client, slug, reac_bytes()))
    preview = text_of(client.get(_import(client, slug, newer_reac_bytes())))
    assert "l'import créera la version 2" in preview and "Confirmer l'import" in preview
    confirm(client, slug, _import(client, slug, newer_reac_bytes()))
    old, new = _reac_versions(session)
    assert (old.vintage, new.vintage) == ("06", "07")

    old_page = text_of(client.get(f"/s/{slug}/referentiels/{old.id}"))
    banner = re.search(
        r'<p class="flash flash-info" role="note" id="version-recente">(.*?)</p>', old_page, re.S
    )
    assert banner and "Une version plus récente existe" in banner.group(1)
    assert f'href="/s/{slug}/referentiels/{new.id}"' in banner.group(1)
    assert old_page.index("Une version plus récente existe") < old_page.index("<h1")
    assert "Une version plus récente existe" not in text_of(
        client.get(f"/s/{slug}/referentiels/{new.id}")
    )
    listing = text_of(client.get(f"/s/{slug}/referentiels/"))
    assert listing.count("Ancienne version") == 1

    with tenancy.tenant_scope(db.session, world.a.structure.id):
        current = session.scalars(queries.current_frameworks_query()).all()
    assert new in current and old not in current
    assert world.a.framework in current


def test_search_offers_the_current_version_unless_asked(world, client_for, session):
    client = client_for(world.a.member("cip"))
    admin = client_for(world.a.member("coordinator"))
    slug = world.a.slug
    confirm(admin, slug, _import(admin, slug, reac_bytes()))
    confirm(admin, slug, _import(admin, slug, newer_reac_bytes()))
    old, new = _reac_versions(session)
    hx = {"HX-Request": "true"}
    default = text_of(
        client.get(f"/s/{slug}/referentiels/?q=environnements numeriques", headers=hx)
    )
    assert "(version" not in default  # one version only: no need to say which
    assert f"/referentiels/{new.id}/competences/" in default
    assert f"/referentiels/{old.id}/competences/" not in default
    both = text_of(
        client.get(f"/s/{slug}/referentiels/?q=environnements numeriques&anciennes=1", headers=hx)
    )
    assert f"/referentiels/{old.id}/competences/" in both
    assert "(version 1)" in both and "(version 2)" in both
    page = text_of(client.get(f"/s/{slug}/referentiels/?q=numeriques&anciennes=1"))
    assert re.search(
        r'<input type="checkbox" id="anciennes" name="anciennes" value="1" checked>', page
    )
    assert '<label for="anciennes">Inclure les anciennes versions</label>' in page


def test_warnings_say_how_to_correct_a_read_only_reac(world, client_for):
    client = client_for(world.a.member("coordinator"))
    html = text_of(client.get(_import(client, world.a.slug, reac_bytes())))
    assert "à vérifier" in html
    assert "Un REAC importé est en lecture seule. Pour corriger un point signalé ici" in html
    assert "« Dupliquer »" in html
    assert "corrigez le texte du REAC" in html and "importez-le à nouveau" in html


def test_format_help_page_is_in_the_app(world, client_for):
    client = client_for(world.a.member("coordinator"))
    upload_page = text_of(client.get(f"/s/{world.a.slug}/referentiels/importer"))
    assert "docs/framework-format.md" not in upload_page
    assert f'href="/s/{world.a.slug}/referentiels/aide/format"' in upload_page
    help_page = client.get(f"/s/{world.a.slug}/referentiels/aide/format")
    assert help_page.status_code == 200
    expected = [
        "Format d'échange des référentiels (CSV et JSON)",
        "type_ligne;activite;activite_type;activite_intitule",
        "100 activités types (blocs) au plus",
        "500 compétences au plus",
        "5 000 critères au plus",
        "précédée d'une apostrophe",
    ]
    assert [e for e in expected if e not in text_of(help_page)] == []
    eti = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/referentiels/aide/format")
    assert eti.status_code == 200


def test_download_names_survive_quotes_in_the_title(world, client_for, session):
    fw = world.a.framework
    fw.title = 'Référentiel "maison" / v2; test'
    session.commit()
    client = client_for(world.a.member("eti"))
    for ext in ("csv", "json"):
        r = client.get(f"/s/{world.a.slug}/referentiels/{fw.id}/export.{ext}")
        header = r.headers["Content-Disposition"]
        assert r.status_code == 200
        assert header.startswith(f'attachment; filename="Referentiel-maison-v2-test.{ext}"')
        assert "filename*=UTF-8''R%C3%A9f%C3%A9rentiel%20%20maison%20" in header
        assert header.endswith(f"v2%3B%20test.{ext}")
        assert header.count('"') == 2


def test_frameworks_count_is_unchanged_by_a_refused_duplicate(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    slug = world.a.slug
    confirm(client, slug, _import(client, slug, reac_bytes()))
    before = session.scalar(select(func.count(Framework.id)))
    confirm(client, slug, _import(client, slug, reac_bytes()))
    assert session.scalar(select(func.count(Framework.id))) == before
