"""Partenaires: directory, contacts, per structure."""

from __future__ import annotations

from tests.site import text_of


def test_cip_builds_the_directory_with_contacts(world, client_for):
    site = world.a
    client = client_for(site.member("cip"))
    r = client.post(
        f"/s/{site.slug}/partenaires/nouveau",
        data={"name": "SPIP du Loiret", "kind": "spip", "phone": "02 38 00 00 00"},
    )
    assert r.status_code == 303
    r = client.post(
        r.location + "/contacts",
        data={"name": "Claude Martin", "job_title": "CPIP", "email": "claude@example.org"},
    )
    assert r.status_code == 303
    page = text_of(client.get(r.location))
    assert "SPIP du Loiret" in page and "Claude Martin" in page and "CPIP" in page
    listing = text_of(client_for(site.member("eti")).get(f"/s/{site.slug}/partenaires/"))
    assert "SPIP du Loiret" in listing
    assert "SPIP du Loiret" not in text_of(
        client_for(world.b.member("cip")).get("/s/beta/partenaires/")
    )


def test_partner_form_errors_in_french_and_input_kept(world, client_for):
    site = world.a
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"/s/{site.slug}/partenaires/nouveau",
        data={
            "name": site.followup["partner"].name.upper(),
            "kind": "ccas",
            "email": "pas-un-mail",
        },
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "Adresse e-mail invalide" in html
    r = client.post(
        f"/s/{site.slug}/partenaires/nouveau",
        data={"name": site.followup["partner"].name.upper(), "kind": "ccas"},
    )
    assert r.status_code == 422 and "existe déjà" in text_of(r)


def test_eti_reads_but_does_not_manage_partners(world, client_for):
    client = client_for(world.a.member("eti"))
    assert client.get("/s/alpha/partenaires/nouveau").status_code == 403
    partner = world.a.followup["partner"]
    assert partner.name in text_of(client.get(f"/s/alpha/partenaires/{partner.id}"))
