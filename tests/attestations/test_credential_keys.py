"""A structure's signing keys: created at its first badge, encrypted at rest, rotated by
``flask credentials rotate`` (the old key stays published, what it signed still verifies);
the issuer's public routes need no sign-in, are rate-limited and cached briefly."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select

from siae_app import tenancy
from siae_app.models.credentials import CredentialKey
from siae_app.services.attestations import credentials
from tests.attestations.test_signed_credentials import (
    _badge,
    _check_page,
    _did,
    _header,
    _jwk_of,
    _verified,
)
from tests.site import text_of


def _keys(session, site) -> list[CredentialKey]:
    session.expire_all()
    with tenancy.tenant_scope(session, site.structure.id):
        return list(
            session.scalars(
                select(CredentialKey)
                .where(CredentialKey.structure_id == site.structure.id)
                .order_by(CredentialKey.number)
            )
        )


def test_rotation_signs_new_badges_with_the_next_key_and_old_ones_still_verify(
    world, client_for, client, app, session
):
    site = world.a
    assert _keys(session, site) == []  # created at the first badge, not before
    old = _badge(client_for, site)
    assert _header(old)["kid"].endswith("#key-1")
    answer = app.test_cli_runner().invoke(args=["credentials", "rotate", site.slug])
    assert answer.exit_code == 0, answer.output
    assert "la clé n°1 est retirée" in answer.output and "la clé n°2 signe" in answer.output
    new = _badge(client_for, site)
    assert _header(new)["kid"].endswith("#key-2")
    document = _did(client, site)
    assert [m["id"].rsplit("#", 1)[1] for m in document["verificationMethod"]] == [
        "key-1",
        "key-2",
    ]
    _verified(old, _jwk_of(document, _header(old)["kid"]))
    _verified(new, _jwk_of(document, _header(new)["kid"]))
    assert "Signature valide" in _check_page(client, old)
    assert "Signature valide" in _check_page(client, new)
    keys = _keys(session, site)
    assert [k.number for k in keys] == [1, 2]
    assert keys[0].retired_at is not None and keys[1].retired_at is None
    assert _keys(session, world.b) == []  # the other structure untouched


def test_rotate_an_unknown_structure_is_refused_in_french(app, world):
    answer = app.test_cli_runner().invoke(args=["credentials", "rotate", "nulle-part"])
    assert answer.exit_code != 0 and "Aucune structure « nulle-part »" in answer.output


def test_the_private_key_is_not_stored_in_clear(world, client_for, session, app):
    site = world.a
    _badge(client_for, site)
    (key,) = _keys(session, site)
    stored = key.private_key_encrypted
    with app.app_context(), tenancy.tenant_scope(session, site.structure.id):
        d = credentials._private(key).as_dict(private=True)["d"]
    raw = base64.urlsafe_b64decode(d + "=" * (-len(d) % 4))
    assert d not in stored
    assert base64.b64encode(raw).decode() not in stored
    assert raw.hex() not in stored
    assert d not in json.dumps(key.public_jwk) and set(key.public_jwk) == {"kty", "crv", "x"}
    # Another secret opens nothing.
    app.config["CREDENTIAL_KEYS_SECRET"] = "un-autre-secret"
    try:
        with app.test_request_context():
            try:
                credentials._private(key)
                opened = True
            except Exception:
                opened = False
        assert not opened
    finally:
        app.config.pop("CREDENTIAL_KEYS_SECRET")


def test_the_issuer_routes_need_no_sign_in_and_are_cached_briefly(world, client_for, client):
    site = world.a
    before = client.get(f"/emetteurs/{site.slug}/did.json")
    assert before.status_code == 200 and json.loads(before.data)["verificationMethod"] == []
    assert client.get(f"/emetteurs/{site.slug}/statuts/revocation").status_code == 404
    _badge(client_for, site)
    did = client.get(f"/emetteurs/{site.slug}/did.json")
    assert did.status_code == 200 and did.headers["Cache-Control"] == "public, max-age=300"
    assert did.mimetype == "application/did+json"
    status = client.get(f"/emetteurs/{site.slug}/statuts/revocation")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "public, max-age=60"
    for url in ("/emetteurs/nulle-part/did.json", "/emetteurs/nulle-part/statuts/revocation"):
        missing = client.get(url)
        assert missing.status_code == 404 and "Aucun émetteur sous ce nom" in text_of(missing)


def test_the_issuer_routes_and_the_badge_check_are_rate_limited(world, client):
    statuses = [client.get(f"/emetteurs/{world.a.slug}/did.json").status_code for _ in range(31)]
    assert statuses[-2] == 200 and statuses[-1] == 429
    checks = [client.post("/verifier/badge", data={"badge": "x"}).status_code for _ in range(31)]
    assert checks[-2] == 422 and checks[-1] == 429
    assert client.get("/verifier").status_code == 429  # shares the verification pages' limit


def test_signing_gives_the_attestation_its_bit_at_random_once(world, client_for, session):
    from datetime import date

    from siae_app.models.attestations import Attestation
    from tests import factories as f

    site = world.a
    proposed = f.make_attestation(site.employee, site.member("eti"))
    session.commit()
    url = f"/s/{site.slug}/attestations/{proposed.id}/signer"
    data = {
        "signer_name": "Claire Direction",
        "signed_on": date.today().isoformat(),
        "signed_place": "Lyon",
    }
    assert client_for(site.member("director")).post(url, data=data).status_code == 303
    session.expire_all()
    with tenancy.tenant_scope(session, site.structure.id):
        index = session.get(Attestation, proposed.id).status_index
    assert index is not None and 0 <= index < 131_072
    token = _badge(client_for, site, proposed)
    assert json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))["credentialStatus"][
        "statusListIndex"
    ] == str(index)
