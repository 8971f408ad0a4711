"""Signing freezes the content and stores the PDF with its SHA-256; revocation; nothing
social in the document."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import AttestationStatus
from siae_app.models.attestations import Attestation
from tests import factories as f
from tests.attestations.conftest import pdf_text
from tests.site import text_of


def _sign(client, base, attestation, **values):
    data = {
        "signer_name": "Claire Direction",
        "signed_on": date.today().isoformat(),
        "signed_place": "Villeurbanne",
        **values,
    }
    return client.post(f"{base}/{attestation.id}/signer", data=data)


def _proposed(site, **kwargs):
    return f.make_attestation(site.employee, site.member("eti"), **kwargs)


def _stored_pdf(session, attestation) -> bytes:
    return session.scalar(select(Attestation.pdf).where(Attestation.id == attestation.id))


def test_signing_freezes_content_and_stores_pdf_with_its_hash(world, client_for, base, session):
    site = world.a
    attestation = _proposed(site)
    director = client_for(site.member("director"))
    r = _sign(director, base, attestation)
    assert r.status_code == 303
    session.refresh(attestation)
    assert (
        attestation.status == AttestationStatus.SIGNED
        and attestation.signed_place == "Villeurbanne"
    )
    pdf = _stored_pdf(session, attestation)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == attestation.pdf_sha256
    text = pdf_text(pdf)
    assert "Attestation de compétences" in text
    assert site.employee.first_name in text
    assert attestation.content["competencies"][0]["label"][:20] in text
    assert "Code de vérification" in text and attestation.verification_code[:5] in text
    # The downloaded PDF is the stored one, byte for byte.
    download = director.get(f"{base}/{attestation.id}/pdf")
    assert download.status_code == 200 and download.data == pdf
    # Later changes to the file do not reach the signed attestation.
    frozen = dict(attestation.content)
    old_first = site.employee.first_name
    site.employee.first_name = "Changé"
    session.commit()
    director.post(f"{base}/{attestation.id}/actualiser")
    session.refresh(attestation)
    assert attestation.content == frozen
    page = text_of(director.get(f"{base}/{attestation.id}"))
    assert f"<dd>{old_first} " in page and "<dd>Changé" not in page
    assert _stored_pdf(session, attestation) == pdf
    # Signing again is refused.
    again = _sign(director, base, attestation)
    assert again.status_code == 422 and "déjà signée" in text_of(again)


def test_signature_form_errors_keep_what_was_typed(world, client_for, base):
    site = world.a
    attestation = _proposed(site)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    r = _sign(
        client_for(site.member("director")),
        base,
        attestation,
        signed_on=tomorrow,
        signed_place="Bron",
    )
    assert r.status_code == 422
    page = text_of(r)
    assert "ne peut pas être dans le futur" in page and 'value="Bron"' in page
    r = _sign(client_for(site.member("director")), base, attestation, signed_place="")
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)


def test_only_the_direction_signs(world, client_for, base, session):
    site = world.a
    attestation = _proposed(site)
    for role in ("eti", "cip", "coordinator", "admin"):
        r = _sign(client_for(site.member(role)), base, attestation)
        assert r.status_code == 403 and "Accès refusé" in text_of(r)
    session.expire_all()
    stored = session.get(Attestation, attestation.id)
    assert stored.status != AttestationStatus.SIGNED
    assert stored.signed_at is None and stored.pdf is None


def test_nothing_social_in_the_pdf(world, client_for, base, session):
    site = world.a
    site.structure.name = "Chantier d'insertion Alpha"
    site.employee.accommodations = "Reconnaissance travailleur handicapé"
    site.employee.birth_date = date(1990, 4, 17)
    session.commit()
    attestation = _proposed(site, omit_insertion_word=True)
    assert _sign(client_for(site.member("director")), base, attestation).status_code == 303
    text = pdf_text(_stored_pdf(session, attestation))
    flat = " ".join(text.split()).lower()
    assert "insertion" not in flat
    assert "chantier alpha" in flat  # the name, without the word
    assert "atelier et chantier" in flat  # the kind, without the word
    for secret in (
        "pas de permis",
        "mobilit",
        "frein",
        "handicap",
        "17 avril 1990",
        "1990",
        "pass iae",
        "prescri",
        "cddi",
        "rsa",
    ):
        assert secret not in flat, secret


def test_without_the_option_the_kind_is_printed_in_full(world, client_for, base, session):
    site = world.a
    attestation = _proposed(site)
    assert _sign(client_for(site.member("director")), base, attestation).status_code == 303
    flat = " ".join(pdf_text(_stored_pdf(session, attestation)).split())
    assert "Atelier et chantier d'insertion" in flat


def test_draft_pdf_says_it_is_not_signed(world, client_for, base):
    site = world.a
    attestation = _proposed(site)
    r = client_for(site.member("cip")).get(f"{base}/{attestation.id}/pdf")
    assert r.status_code == 200
    assert "Projet" in pdf_text(r.data)


def test_revocation_needs_a_motif(world, client_for, base, session):
    site = world.a
    director = client_for(site.member("director"))
    url = f"{base}/{site.attestation.id}/revoquer"
    r = director.post(url, data={"motif": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = director.post(url, data={"motif": "Erreur sur la période"})
    assert r.status_code == 303
    session.refresh(site.attestation)
    assert site.attestation.status == AttestationStatus.REVOKED
    assert site.attestation.revocation_motif == "Erreur sur la période"
    page = text_of(director.get(f"{base}/{site.attestation.id}"))
    assert "Révoquée" in page and "Erreur sur la période" in page
    again = director.post(url, data={"motif": "encore"})
    assert again.status_code == 422


def test_open_badge_signed(world, client_for, base):
    import base64
    import json

    site = world.a
    r = client_for(site.member("cip")).get(f"{base}/{site.attestation.id}/open-badge.jwt")
    assert r.status_code == 200 and r.mimetype == "application/vc+jwt"
    body = r.get_data(as_text=True).split(".")[1]
    badge = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert "OpenBadgeCredential" in badge["type"]
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert badge["issuer"]["type"] == ["Profile"] and badge["issuer"]["name"] == "ACI Alpha"
    assert badge["validFrom"]
    subject = badge["credentialSubject"]
    achievement = subject["achievement"]
    labels = [c["label"] for c in site.attestation.content["competencies"]]
    assert [a["targetName"] for a in achievement["alignment"]] == labels
    assert achievement["alignment"][0]["targetFramework"] == f"Savoir-être {site.slug}"
    assert [r["value"] for r in subject["result"]] == ["Acquis"] * len(labels)
    assert subject["result"][0]["resultDescription"] == achievement["resultDescription"][0]["id"]
    # A proposed attestation has no credential yet.
    proposed = _proposed(site)
    missing = client_for(site.member("cip")).get(f"{base}/{proposed.id}/open-badge.jwt")
    assert missing.status_code == 404
