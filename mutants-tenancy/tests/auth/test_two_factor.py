"""Second factor at sign-in: enrolment required for the direction, the code step, recovery
codes, remembered browsers, the structure-wide requirement and the reset by the direction."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
from sqlalchemy import select

from siae_app.models import TrustedDevice
from siae_app.models.accounts import MembershipEvent
from siae_app.models.base import utcnow
from siae_app.services.accounts import two_factor
from tests.factories import TEST_PASSWORD
from tests.links import link_in, open_link
from tests.site import text_of


def _password(client, user):
    return client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD})


def _enrolled(session, user) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    session.commit()
    return pyotp.TOTP(user.totp_secret)


def _later(totp: pyotp.TOTP) -> str:
    """The code of the next time step (still accepted: one step either side)."""
    return totp.at(time.time() + 30)


def _signed_in(client, world) -> bool:
    return client.get(f"/s/{world.a.slug}/").status_code == 200


def test_a_director_must_enrol_before_reaching_any_page(world, client):
    director = world.a.member("director").user
    r = _password(client, director)
    assert r.status_code == 303 and r.location.endswith(
        "/connexion/activer-double-authentification"
    )
    assert not _signed_in(client, world)

    page = text_of(client.get(r.location))
    assert "Activer la double authentification" in page
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", secret)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    wrong = client.post(r.location, data={"code": "000000"})
    assert wrong.status_code == 422
    assert "Code incorrect ou déjà utilisé" in text_of(wrong)
    assert not _signed_in(client, world)

    code = pyotp.TOTP(secret.replace(" ", "")).now()
    codes_page = client.post(r.location, data={"code": code})
    shown = re.findall(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", text_of(codes_page))
    assert codes_page.status_code == 200 and len(set(shown)) == 10
    assert "Ils ne seront plus jamais affichés" in text_of(codes_page)
    assert not _signed_in(client, world)  # not before « J'ai noté mes codes »

    done = client.post("/connexion/codes-notes")
    assert done.status_code == 302 and done.location.endswith(f"/s/{world.a.slug}/")
    assert _signed_in(client, world)
    assert director.has_two_factor
    assert shown[0] not in str(director.recovery_code_hashes)  # only digests are stored
    # The secret is never shown again.
    assert secret not in text_of(client.get("/compte"))


def test_a_code_is_asked_and_a_wrong_one_keeps_nobody_signed_in(world, client, session):
    user = world.a.member("cip").user
    totp = _enrolled(session, user)
    r = _password(client, user)
    assert r.location.endswith("/connexion/code")
    assert not _signed_in(client, world)
    wrong = client.post("/connexion/code", data={"code": "123456"})
    assert wrong.status_code == 422
    assert "Code incorrect ou déjà utilisé" in text_of(wrong)
    assert not _signed_in(client, world)
    ok = client.post("/connexion/code", data={"code": totp.now()})
    assert ok.status_code == 302
    assert _signed_in(client, world)


def test_a_code_is_accepted_once(world, client, app, session):
    user = world.a.member("cip").user
    totp = _enrolled(session, user)
    code = totp.now()
    _password(client, user)
    assert client.post("/connexion/code", data={"code": code}).status_code == 302
    other = app.test_client()
    _password(other, user)
    replay = other.post("/connexion/code", data={"code": code})
    assert replay.status_code == 422
    assert "déjà utilisé" in text_of(replay)


def test_too_many_wrong_codes_are_refused(world, client, session):
    user = world.a.member("cip").user
    totp = _enrolled(session, user)
    _password(client, user)
    for _ in range(5):
        assert client.post("/connexion/code", data={"code": "000000"}).status_code == 422
    r = client.post("/connexion/code", data={"code": totp.now()})
    assert r.status_code == 429
    assert "Trop de codes incorrects pour ce compte" in text_of(r)
    assert not _signed_in(client, world)


def test_a_recovery_code_works_once(world, client, app, session):
    user = world.a.member("cip").user
    _enrolled(session, user)
    codes = two_factor.new_recovery_codes(session, user)
    session.commit()
    _password(client, user)
    page = text_of(client.get("/connexion/code?secours=1"))
    assert "Code de secours" in page
    r = client.post("/connexion/code?secours=1", data={"code": codes[3].lower()})
    assert r.status_code == 302 and _signed_in(client, world)
    other = app.test_client()
    _password(other, user)
    again = other.post("/connexion/code?secours=1", data={"code": codes[3]})
    assert again.status_code == 422
    assert "Code de secours incorrect ou déjà utilisé." in text_of(again)


def test_a_remembered_browser_skips_the_code_until_revoked_or_30_days(world, client, session):
    user = world.a.member("cip").user
    totp = _enrolled(session, user)
    _password(client, user)
    client.post("/connexion/code", data={"code": totp.now(), "remember": "y"})
    client.post("/deconnexion")
    again = _password(client, user)
    assert again.status_code == 302 and _signed_in(client, world)

    device = session.scalar(select(TrustedDevice).where(TrustedDevice.user_id == user.id))
    assert device.label == "Navigateur inconnu"
    device.expires_at = utcnow() - timedelta(seconds=1)  # 30 days later
    session.commit()
    client.post("/deconnexion")
    assert _password(client, user).location.endswith("/connexion/code")

    device.expires_at = utcnow() + timedelta(days=1)
    device.revoked_at = utcnow()
    session.commit()
    assert _password(client, user).location.endswith("/connexion/code")


def test_a_structure_may_require_it_of_an_eti(world, client, client_for):
    eti = world.a.member("eti").user
    assert _password(client, eti).status_code == 302 and _signed_in(client, world)
    client.post("/deconnexion")

    admin = client_for(world.a.member("admin"))
    r = admin.post(
        f"/s/{world.a.slug}/structure/double-authentification", data={"require_two_factor": "y"}
    )
    assert "Seule la direction peut changer ce réglage." in text_of(admin.get(r.location))
    assert not world.a.structure.require_two_factor

    director = client_for(world.a.member("director"))
    page = text_of(director.get(f"/s/{world.a.slug}/structure/identite"))
    assert "Exiger la double authentification pour tous les rôles" in page
    director.post(
        f"/s/{world.a.slug}/structure/double-authentification", data={"require_two_factor": "y"}
    )
    assert world.a.structure.require_two_factor
    r = _password(client, eti)
    assert r.location.endswith("/connexion/activer-double-authentification")
    # The ETI of the other structure is not concerned.
    other = world.b.member("eti").user
    if other.id != eti.id:
        assert _password(client, other).status_code == 302


def test_the_direction_resets_a_members_second_factor(world, client_for, session):
    target = world.a.member("cip")
    _enrolled(session, target.user)
    director = world.a.member("director")
    web = client_for(director)
    page = text_of(web.get(f"/s/{world.a.slug}/administration/membres/{target.id}"))
    assert "Réinitialiser la double authentification" in page
    r = web.post(
        f"/s/{world.a.slug}/administration/membres/{target.id}/double-authentification/reinitialiser"
    )
    assert "est réinitialisée" in text_of(web.get(r.location))
    assert not target.user.has_two_factor and target.user.totp_secret is None
    event = session.scalar(
        select(MembershipEvent).where(
            MembershipEvent.membership_id == target.id, MembershipEvent.kind == "two_factor_reset"
        )
    )
    assert event.actor_id == director.id and event.created_at is not None
    assert "Double authentification réinitialisée" in text_of(
        web.get(f"/s/{world.a.slug}/administration/membres/{target.id}")
    )


def test_a_reset_is_refused_on_oneself_and_across_structures(world, client_for, session):
    director = world.a.member("director")
    _enrolled(session, director.user)
    web = client_for(director)
    own = web.post(
        f"/s/{world.a.slug}/administration/membres/{director.id}/double-authentification/reinitialiser"
    )
    assert "Vous ne pouvez pas réinitialiser votre propre double authentification" in text_of(
        web.get(own.location)
    )
    assert director.user.has_two_factor
    stranger = world.b.member("cip")
    _enrolled(session, stranger.user)
    across = web.post(
        f"/s/{world.a.slug}/administration/membres/{stranger.id}/double-authentification/reinitialiser"
    )
    assert across.status_code == 404
    assert stranger.user.has_two_factor


def test_a_member_enrols_from_their_account_and_may_turn_it_off(world, client_for):
    cip = world.a.member("cip")
    web = client_for(cip)
    assert "Non activée" in text_of(web.get("/compte"))
    page = text_of(web.get("/compte/double-authentification/activer"))
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    totp = pyotp.TOTP(secret)
    shown = web.post("/compte/double-authentification/activer", data={"code": totp.now()})
    assert "Vos codes de secours" in text_of(shown)
    assert "Activée le" in text_of(web.get("/compte"))
    refused = web.post("/compte/double-authentification/desactiver", data={"off-code": "000000"})
    assert refused.status_code == 422 and "Code incorrect" in text_of(refused)
    off = web.post("/compte/double-authentification/desactiver", data={"off-code": _later(totp)})
    assert "Double authentification désactivée." in text_of(web.get(off.location))


def test_the_direction_cannot_turn_it_off(world, client_for, session):
    director = world.a.member("director")
    totp = _enrolled(session, director.user)
    web = client_for(director)
    assert "elle ne peut pas être désactivée" in text_of(web.get("/compte"))
    r = web.post("/compte/double-authentification/desactiver", data={"off-code": totp.now()})
    assert r.status_code == 422
    assert director.user.has_two_factor


def test_a_password_reset_link_does_not_skip_the_code(world, client, session, monkeypatch):
    mails = []
    monkeypatch.setattr(
        "siae_app.services.accounts.core.send_mail",
        lambda to, subject, body, purpose="message": mails.append((to, subject, body)),
    )
    user = world.a.member("cip").user
    _enrolled(session, user)
    client.post("/mot-de-passe/oublie", data={"email": user.email})
    path = open_link(client, link_in(mails[0][2]))
    password = "Tomates-Cerises-Sous-Serre-88"
    r = client.post(path, data={"password": password, "confirm": password})
    assert r.status_code == 303 and r.location.endswith("/connexion/code")
    assert not _signed_in(client, world)
