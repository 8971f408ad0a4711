"""Identité de la structure: SIRET with its check key, address, logo decoded, bounded in
bytes and pixels, re-encoded at print size without metadata; a PDF skips a stored logo
beyond what it may print."""

from __future__ import annotations

import io

from PIL import Image

from tests.site import text_of


def image_bytes(size=(64, 48), fmt="PNG", mode="RGB", color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


PNG = image_bytes()
JPEG = image_bytes(fmt="JPEG")


def _url(site):
    return f"/s/{site.slug}/structure/identite"


def test_director_saves_siret_address_and_logo(world, client_for, session):
    site = world.a
    r = client_for(site.member("director")).post(
        _url(site),
        data={
            "siret": "732 829 320 00074",
            "address": "12 rue des Jardins, 69100 Villeurbanne",
            "logo": (io.BytesIO(PNG), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    session.refresh(site.structure)
    assert site.structure.siret == "73282932000074"
    assert site.structure.address.startswith("12 rue des Jardins")
    assert site.structure.logo_mime == "image/png"
    assert Image.open(io.BytesIO(site.structure.logo)).size == (64, 48)
    page = text_of(client_for(site.member("director")).get(_url(site)))
    assert "data:image/png;base64," in page and 'value="73282932000074"' in page


def test_bad_siret_is_refused_with_what_was_typed(world, client_for, session):
    site = world.a
    client = client_for(site.member("admin"))
    for typed, message in (
        ("73282932000075", "clé de contrôle"),
        ("1234", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
    ):
        r = client.post(_url(site), data={"siret": typed, "address": "Rue X"})
        assert r.status_code == 422, typed
        assert message in text_of(r) and f'value="{typed}"' in text_of(r)
    session.refresh(site.structure)
    assert site.structure.siret is None


def test_logo_is_checked_by_its_content_and_size(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    fake = client.post(
        _url(site),
        data={"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "PNG ou JPEG" in text_of(fake)
    big = client.post(
        _url(site),
        data={"logo": (io.BytesIO(JPEG + b"\x00" * 300 * 1024), "logo.jpg")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 422 and "300 Ko" in text_of(big)
    ok = client.post(
        _url(site),
        data={"logo": (io.BytesIO(JPEG), "logo.jpg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303
    session.refresh(site.structure)
    assert site.structure.logo_mime == "image/jpeg"


def test_other_roles_cannot_edit_identity(world, client_for, session):
    site = world.a
    for role in ("eti", "cip", "coordinator"):
        client = client_for(site.member(role))
        page = client.get(_url(site))
        assert page.status_code == 403 and "Accès refusé" in text_of(page)
        sent = client.post(_url(site), data={"siret": "732 829 320 00074", "address": "Rue X"})
        assert sent.status_code == 403 and "Accès refusé" in text_of(sent)
    session.refresh(site.structure)
    assert site.structure.siret != "73282932000074" and site.structure.address != "Rue X"
