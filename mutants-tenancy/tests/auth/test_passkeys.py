"""Passkeys (WebAuthn) as a second way to give the second factor: added in « Mon compte » by a
person who uses the TOTP code, used on the code step of sign-in. A small software
authenticator (an EC P-256 key, « none » attestation) signs what a browser would."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import cbor2
import pyotp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from siae_app.models import Passkey, TrustedDevice
from siae_app.models.base import utcnow
from siae_app.services.accounts import two_factor
from tests.factories import TEST_PASSWORD
from tests.site import text_of

ORIGIN = "http://localhost"  # the test client's host (SERVER_NAME) and scheme


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftKey:
    """What an authenticator does, in Python: a key pair, an id, a counter."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def cose(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin}).encode()

    def create(self, options: dict, origin: str = ORIGIN) -> dict:
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([0x01 | 0x04 | 0x40])  # user present, verified, credential data
            + self.counter.to_bytes(4, "big")
            + bytes(16)
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self.cose()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
        }

    def get(self, options: dict, origin: str = ORIGIN, step: int = 1) -> dict:
        self.counter += step
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([0x01 | 0x04])
            + self.counter.to_bytes(4, "big")
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": None,
            },
        }


def _enrolled(session, user) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    session.commit()
    return pyotp.TOTP(user.totp_secret)


def _with_key(session, user) -> SoftKey:
    key = SoftKey()
    session.add(
        Passkey(
            user_id=user.id,
            credential_id=key.credential_id,
            public_key=key.cose(),
            sign_count=0,
            label="Chrome sur Linux",
            transports=["internal"],
        )
    )
    session.commit()
    return key


def _password(client, user):
    return client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD})


def _signed_in(client, world) -> bool:
    return client.get(f"/s/{world.a.slug}/").status_code == 200


def _error(response) -> str:
    return response.get_json()["error"]


# ------------------------------------------------------------------ « Mon compte »


def test_adding_needs_a_signed_in_person_who_uses_the_code(world, client, client_for):
    anonymous = client.post("/compte/cles/options")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.location
    assert client.post("/compte/cles", json={}).status_code == 302

    member = client_for(world.a.member("cip"))
    page = text_of(member.get("/compte"))
    assert "Clés d'accès (passkeys)" in page
    assert "Activez d'abord la double authentification par code" in page
    assert "Ajouter une clé d'accès" not in page
    refused = member.post("/compte/cles/options")
    assert refused.status_code == 403
    assert "Activez d'abord la double authentification" in _error(refused)


def test_a_passkey_is_added_listed_and_its_challenge_serves_once(world, client_for, session, app):
    user = world.a.member("cip").user
    _enrolled(session, user)
    member = client_for(world.a.member("cip"))
    page = text_of(member.get("/compte"))
    assert "Aucune clé d'accès." in page
    assert "Ajouter une clé d'accès" in page and 'data-passkey="add"' in page

    options = member.post("/compte/cles/options").get_json()
    assert options["rp"] == {"id": "localhost", "name": "Parcours SIAE"}
    assert options["authenticatorSelection"]["residentKey"] == "discouraged"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    key = SoftKey()
    credential = key.create(options)
    added = member.post("/compte/cles", json={"credential": credential})
    assert added.status_code == 200 and added.get_json() == {"redirect": "/compte"}
    page = text_of(member.get("/compte"))
    assert "Clé d'accès ajoutée" in page
    assert "jamais utilisée" in page and "Supprimer cette clé" in page

    stored = session.scalars(select(Passkey).where(Passkey.user_id == user.id)).all()
    assert [k.credential_id for k in stored] == [key.credential_id]
    assert stored[0].transports == ["internal"]

    again = member.post("/compte/cles", json={"credential": credential})
    assert again.status_code == 400
    assert "La demande a expiré" in _error(again)
    # A new challenge does not take an attestation made for another.
    member.post("/compte/cles/options")
    other = member.post("/compte/cles", json={"credential": credential})
    assert other.status_code == 422
    assert "n'a pas pu être ajoutée" in _error(other)


def test_a_passkey_from_another_origin_is_not_added(world, client_for, session):
    user = world.a.member("cip").user
    _enrolled(session, user)
    member = client_for(world.a.member("cip"))
    options = member.post("/compte/cles/options").get_json()
    forged = SoftKey().create(options, origin="https://ailleurs.example")
    refused = member.post("/compte/cles", json={"credential": forged})
    assert refused.status_code == 422
    assert session.scalars(select(Passkey)).all() == []


def test_removing_a_passkey_of_another_person_is_404(world, client_for, session):
    mine, theirs = world.a.member("cip").user, world.a.member("eti").user
    _enrolled(session, mine)
    _enrolled(session, theirs)
    _with_key(session, mine)
    _with_key(session, theirs)
    own_id = session.scalar(select(Passkey.id).where(Passkey.user_id == mine.id))
    their_id = session.scalar(select(Passkey.id).where(Passkey.user_id == theirs.id))
    member = client_for(world.a.member("cip"))
    assert member.post(f"/compte/cles/{their_id}/supprimer").status_code == 404
    assert session.get(Passkey, their_id) is not None

    removed = member.post(f"/compte/cles/{own_id}/supprimer", follow_redirects=True)
    assert "Clé d'accès supprimée." in text_of(removed)
    assert "Aucune clé d'accès." in text_of(removed)
    session.expire_all()
    assert session.get(Passkey, own_id) is None


def test_a_reset_of_the_second_factor_removes_the_passkeys(world, session):
    member = world.a.member("cip")
    _enrolled(session, member.user)
    _with_key(session, member.user)
    two_factor.reset_by(session, world.a.member("director"), member)
    session.flush()
    assert session.scalars(select(Passkey).where(Passkey.user_id == member.user_id)).all() == []


# ------------------------------------------------------------------ at sign-in


def test_the_sign_in_endpoints_need_the_pending_state(world, client, session):
    assert client.post("/connexion/cle/options").status_code == 401
    refused = client.post("/connexion/cle", json={"credential": {}})
    assert refused.status_code == 401
    assert "Votre connexion a expiré" in _error(refused)


def test_the_code_step_offers_a_passkey_only_to_who_has_one(world, client, app, session):
    user = world.a.member("cip").user
    _enrolled(session, user)
    _password(client, user)
    page = text_of(client.get("/connexion/code"))
    assert "Utiliser une clé d'accès" not in page
    assert client.post("/connexion/cle/options").status_code == 422

    _with_key(session, user)
    page = text_of(client.get("/connexion/code"))
    assert "Utiliser une clé d'accès" in page and 'aria-live="assertive"' in page
    assert "Ce navigateur ne prend pas en charge les clés d'accès" in page
    assert "Code à 6 chiffres" in page  # the code field stays


@pytest.mark.parametrize("remember", [False, True])
def test_a_passkey_finishes_the_sign_in_like_a_code(world, client, session, remember):
    user = world.a.member("cip").user
    _enrolled(session, user)
    key = _with_key(session, user)
    _password(client, user)
    options = client.post("/connexion/cle/options").get_json()
    assert options["rpId"] == "localhost"
    assert options["allowCredentials"] == [
        {"id": b64(key.credential_id), "type": "public-key", "transports": ["internal"]}
    ]
    done = client.post(
        "/connexion/cle", json={"credential": key.get(options, step=7), "remember": remember}
    )
    assert done.status_code == 200
    assert done.get_json() == {"redirect": f"/s/{world.a.slug}/"}
    assert _signed_in(client, world)
    stored = session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    session.refresh(stored)
    assert stored.sign_count == 7 and stored.last_used_at is not None
    devices = session.scalars(select(TrustedDevice).where(TrustedDevice.user_id == user.id))
    assert len(devices.all()) == (1 if remember else 0)


def test_a_sign_in_challenge_serves_once_and_the_counter_must_move_on(world, client, app, session):
    user = world.a.member("cip").user
    _enrolled(session, user)
    key = _with_key(session, user)
    _password(client, user)
    options = client.post("/connexion/cle/options").get_json()
    assertion = key.get(options, step=3)
    assert client.post("/connexion/cle", json={"credential": assertion}).status_code == 200

    other = app.test_client()
    _password(other, user)
    replay = other.post("/connexion/cle", json={"credential": assertion})
    assert replay.status_code == 400 and "La demande a expiré" in _error(replay)

    options = other.post("/connexion/cle/options").get_json()
    key.counter = 2  # a copy of the key, behind the counter stored
    cloned = other.post("/connexion/cle", json={"credential": key.get(options)})
    assert cloned.status_code == 422
    assert "Clé d'accès refusée" in _error(cloned)
    assert not _signed_in(other, world)


def test_an_assertion_with_another_persons_passkey_is_refused(world, client, session):
    user, other = world.a.member("cip").user, world.a.member("eti").user
    _enrolled(session, user)
    _enrolled(session, other)
    _with_key(session, user)
    their_key = _with_key(session, other)
    _password(client, user)
    options = client.post("/connexion/cle/options").get_json()
    refused = client.post("/connexion/cle", json={"credential": their_key.get(options)})
    assert refused.status_code == 422
    assert "Clé d'accès refusée" in _error(refused)
    assert not _signed_in(client, world)


def test_refused_passkeys_count_with_wrong_codes(world, client, session):
    user = world.a.member("cip").user
    totp = _enrolled(session, user)
    key = _with_key(session, user)
    _password(client, user)
    for _ in range(5):
        options = client.post("/connexion/cle/options").get_json()
        bad = key.get(options)
        bad["response"]["signature"] = b64(b"\x30\x06\x02\x01\x01\x02\x01\x01")
        assert client.post("/connexion/cle", json={"credential": bad}).status_code == 422
    options = client.post("/connexion/cle/options").get_json()
    blocked = client.post("/connexion/cle", json={"credential": key.get(options)})
    assert blocked.status_code == 429
    assert "Trop de codes incorrects pour ce compte" in _error(blocked)
    code = client.post("/connexion/code", data={"code": totp.now()})
    assert code.status_code == 429
    assert not _signed_in(client, world)
