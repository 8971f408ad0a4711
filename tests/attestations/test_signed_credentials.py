"""Signed badges prove themselves: the downloaded .jwt verifies with another JOSE library
(jwcrypto) against the key the app publishes in the structure's did.json; a changed byte, a
revoked attestation or a badge passed off as another structure's is told so by /verifier/badge.

The status list is decoded here with gzip and base64, not with the app's code."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from jwcrypto import jwk, jws

from siae_app.services.attestations.signing import grouped
from tests.site import text_of


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _badge(client_for, site, attestation=None) -> str:
    attestation = attestation or site.attestation
    url = f"/s/{site.slug}/attestations/{attestation.id}/open-badge.jwt"
    r = client_for(site.member("cip")).get(url)
    assert r.status_code == 200
    assert r.mimetype == "application/vc+jwt"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and ".jwt" in disposition
    return r.get_data(as_text=True)


def _did(client, site) -> dict:
    r = client.get(f"/emetteurs/{site.slug}/did.json")
    assert r.status_code == 200
    return json.loads(r.get_data(as_text=True))


def _jwk_of(document: dict, kid: str) -> jwk.JWK:
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    assert method["type"] == "JsonWebKey" and method["controller"] == document["id"]
    assert kid in document["assertionMethod"]
    return jwk.JWK(**method["publicKeyJwk"])


def _verified(token: str, key: jwk.JWK) -> jws.JWS:
    """jwcrypto's verdict (raises InvalidJWSSignature)."""
    found = jws.JWS()
    found.deserialize(token)
    found.allowed_algs = ["EdDSA"]
    found.verify(key)
    return found


def _header(token: str) -> dict:
    return json.loads(_unb64(token.split(".")[0]))


def _payload(token: str) -> dict:
    return json.loads(_unb64(token.split(".")[1]))


def _check_page(client, token: str) -> str:
    r = client.post("/verifier/badge", data={"badge": token})
    assert r.status_code == 200
    return text_of(r)


def _bit(client, site, index: int) -> int:
    r = client.get(f"/emetteurs/{site.slug}/statuts/revocation")
    assert r.status_code == 200 and r.mimetype == "application/vc+jwt"
    token = r.get_data(as_text=True)
    document = _did(client, site)
    _verified(token, _jwk_of(document, _header(token)["kid"]))
    status_list = _payload(token)
    assert "BitstringStatusListCredential" in status_list["type"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(_unb64(encoded[1:]))
    assert len(bits) * 8 >= 131_072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_the_downloaded_badge_verifies_with_jwcrypto_against_the_published_key(
    world, client_for, client
):
    site = world.a
    token = _badge(client_for, site)
    header = _header(token)
    did = f"did:web:localhost:emetteurs:{site.slug}"
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": f"{did}#key-1"}
    document = _did(client, site)
    assert document["id"] == did
    verified = _verified(token, _jwk_of(document, header["kid"]))
    credential = json.loads(verified.payload)
    assert credential == _payload(token)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["issuer"]["id"] == did and credential["issuer"]["name"] == "ACI Alpha"
    assert credential["evidence"][0]["id"].endswith(
        f"/verifier/{grouped(site.attestation.verification_code)}"
    )
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert (
        status["statusListCredential"]
        == f"http://localhost/emetteurs/{site.slug}/statuts/revocation"
    )
    assert status["id"] == f"{status['statusListCredential']}#{status['statusListIndex']}"
    labels = [c["label"] for c in site.attestation.content["competencies"]]
    achievement = credential["credentialSubject"]["achievement"]
    assert [a["targetName"] for a in achievement["alignment"]] == labels
    # The same attestation keeps its bit; the page says who signed it, for whom, what.
    assert _payload(_badge(client_for, site))["credentialStatus"] == status
    page = _check_page(client, token)
    assert "Signature valide — émis par ACI Alpha le" in page
    assert site.employee.first_name in page
    assert all(label in page for label in labels)
    assert _bit(client, site, int(status["statusListIndex"])) == 0


@pytest.mark.parametrize("part", ["payload", "signature"])
def test_one_changed_byte_is_refused_by_jwcrypto_and_by_the_page(world, client_for, client, part):
    site = world.a
    token = _badge(client_for, site)
    head, body, signature = token.split(".")
    if part == "payload":
        raw = _unb64(body)
        assert b"Acquis" in raw
        body = _b64(raw.replace(b"Acquis", b"Acquiz", 1))
    else:
        raw = bytearray(_unb64(signature))
        raw[10] ^= 0x01
        signature = _b64(bytes(raw))
    altered = f"{head}.{body}.{signature}"
    key = _jwk_of(_did(client, site), _header(token)["kid"])
    with pytest.raises(jws.InvalidJWSSignature):
        _verified(altered, key)
    page = _check_page(client, altered)
    assert "Signature invalide : ce badge a été modifié ou n'a pas été émis par ACI Alpha" in page
    assert "Signature valide" not in page and site.employee.first_name not in page


def test_a_revoked_attestation_has_its_bit_set_and_the_page_says_so(world, client_for, client):
    site, other = world.b, world.a
    token = _badge(client_for, site)
    index = int(_payload(token)["credentialStatus"]["statusListIndex"])
    other_index = int(_payload(_badge(client_for, other))["credentialStatus"]["statusListIndex"])
    assert _bit(client, site, index) == 0
    director = client_for(site.member("director"))
    url = f"/s/{site.slug}/attestations/{site.attestation.id}/revoquer"
    assert director.post(url, data={"motif": "Délivrée par erreur"}).status_code == 303
    assert _bit(client, site, index) == 1
    assert _bit(client, other, other_index) == 0  # the other structure's list is its own
    page = _check_page(client, token)
    assert "Badge révoqué le" in page and "Signature valide" not in page
    assert "Délivrée par erreur" not in page


def test_a_badge_passed_off_as_another_structures_fails(world, client_for, client):
    a_token = _badge(client_for, world.a)
    b_token = _badge(client_for, world.b)  # B has its key too
    b_kid = _header(b_token)["kid"]
    head = dict(_header(a_token), kid=b_kid)
    _, body, signature = a_token.split(".")
    forged = f"{_b64(json.dumps(head).encode())}.{body}.{signature}"
    with pytest.raises(jws.InvalidJWSSignature):
        _verified(forged, _jwk_of(_did(client, world.b), b_kid))
    page = _check_page(client, forged)
    assert "Signature invalide" in page and "Signature valide" not in page
    assert world.a.employee.first_name not in page
    # A kid naming a did of another host is not one of this platform's issuers.
    elsewhere = dict(_header(a_token), kid=_header(a_token)["kid"].replace("localhost", "evil"))
    forged = f"{_b64(json.dumps(elsewhere).encode())}.{body}.{signature}"
    assert "Signature invalide" in _check_page(client, forged)


def test_the_verify_form_keeps_what_was_pasted_and_says_what_is_wrong(world, client, client_for):
    form = client.get("/verifier/badge")
    assert form.status_code == 200 and "Contenu du badge" in text_of(form)
    empty = client.post("/verifier/badge", data={"badge": "  "})
    assert empty.status_code == 422 and "Collez le contenu du badge" in text_of(empty)
    junk = client.post("/verifier/badge", data={"badge": "pas un badge"})
    assert junk.status_code == 422 and "n'est pas un badge signé" in text_of(junk)
    assert "pas un badge" in junk.get_data(as_text=True)  # kept in the textarea
    big = client.post("/verifier/badge", data={"badge": "e" * (64 * 1024 + 1)})
    assert big.status_code == 422 and "trop gros" in text_of(big)
    # The file, uploaded instead of pasted.
    from io import BytesIO

    token = _badge(client_for, world.a)
    upload = client.post(
        "/verifier/badge",
        data={"badge": "", "fichier": (BytesIO(token.encode()), "badge.jwt")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200 and "Signature valide" in text_of(upload)
    huge = client.post(
        "/verifier/badge",
        data={"fichier": (BytesIO(b"e" * (64 * 1024 + 10)), "badge.jwt")},
        content_type="multipart/form-data",
    )
    assert huge.status_code == 422 and "trop gros" in text_of(huge)


def test_the_code_page_links_to_the_badge_check_and_names_the_key(world, client, client_for):
    code = grouped(world.a.attestation.verification_code)
    before = text_of(client.get(f"/verifier/{code}"))
    assert "Vérifier un badge numérique" in before and "clé n°" not in before
    _badge(client_for, world.a)
    page = text_of(client.get(f"/verifier/{code}"))
    assert "Badge numérique signé par la clé n°1" in page
    assert "Vérifier un badge numérique" in text_of(client.get("/verifier"))


def test_the_salarie_downloads_the_signed_badge_from_their_space(world, client_for, client):
    from tests.personal_space.test_access import _enter, _with_code

    site = world.a
    secret = _with_code(client_for(site.member("cip")), site, site.employee)
    assert _enter(client, secret).status_code == 303
    documents = client.get("/mon-espace/documents")
    assert "Badge numérique signé (Open Badges 3.0)" in text_of(documents)
    r = client.get(f"/mon-espace/documents/attestations/{site.attestation.id}/open-badge.jwt")
    assert r.status_code == 200 and r.mimetype == "application/vc+jwt"
    token = r.get_data(as_text=True)
    _verified(token, _jwk_of(_did(client, site), _header(token)["kid"]))
    assert "Signature valide" in _check_page(client, token)


def test_the_public_address_names_the_issuer_whatever_host_the_request_came_by(
    app, world, client_for, client, monkeypatch
):
    site = world.a
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://parcours.exemple.fr")
    token = _badge(client_for, site)
    did = f"did:web:parcours.exemple.fr:emetteurs:{site.slug}"
    assert _header(token)["kid"] == f"{did}#key-1"
    credential = _payload(token)
    assert credential["issuer"]["id"] == did
    assert credential["credentialStatus"]["statusListCredential"] == (
        f"https://parcours.exemple.fr/emetteurs/{site.slug}/statuts/revocation"
    )
    # Checked through another name of the same server: the same issuer, a valid signature.
    r = client.post("/verifier/badge", data={"badge": token}, base_url="http://10.0.0.7")
    assert r.status_code == 200 and "Signature valide — émis par ACI Alpha le" in text_of(r)
    assert _did(client, site)["id"] == did
