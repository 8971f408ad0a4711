"""« Mes appareils et sessions »: each sign-in opens a row, ended at sign-out or from the
page; « Se déconnecter partout » refuses every cookie and forgets remembered browsers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from siae_app.models import TrustedDevice, UserSession
from siae_app.models.base import utcnow
from siae_app.services.accounts import two_factor
from siae_app.services.accounts.sessions import device_label
from tests.factories import TEST_PASSWORD
from tests.site import text_of

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _home(client, world):
    return client.get(f"/s/{world.a.slug}/")


def _rows(session, user):
    return list(session.scalars(select(UserSession).where(UserSession.user_id == user.id)))


def test_a_sign_in_opens_a_row_named_after_the_browser(world, client, session):
    user = world.a.member("eti").user
    client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD})
    (row,) = _rows(session, user)
    assert row.label == "Firefox sur Windows" and row.ended_at is None
    page = text_of(client.get("/compte/sessions"))
    assert "Firefox sur Windows</strong> — <em>Cette session</em>" in page
    client.post("/deconnexion")
    session.refresh(row)
    assert row.ended_at is not None


def test_the_user_agent_is_named_in_french():
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert device_label(iphone) == "Safari sur iPhone"
    assert device_label(None) == "Navigateur inconnu"


def test_the_page_lists_and_ends_another_session(world, client_for, session):
    member = world.a.member("cip")
    mine, other = client_for(member), client_for(member)
    page = text_of(mine.get("/compte/sessions"))
    assert page.count("Werkzeug") == 0 and "Cette session" in page
    assert page.count("Terminer cette session") == 1
    this_id = next(r.id for r in _rows(session, member.user) if f"/{r.id}/" not in page)
    other_id = next(r.id for r in _rows(session, member.user) if r.id != this_id)
    r = mine.post(f"/compte/sessions/{other_id}/terminer")
    assert "Session terminée." in text_of(mine.get(r.location))
    assert _home(other, world).status_code == 302  # its cookie is refused now
    assert _home(mine, world).status_code == 200


def test_a_session_of_someone_else_is_not_found(world, client_for, session):
    mine = client_for(world.a.member("cip"))
    client_for(world.a.member("eti"))
    theirs = _rows(session, world.a.member("eti").user)[0]
    r = mine.post(f"/compte/sessions/{theirs.id}/terminer")
    assert "Cette session est déjà terminée." in text_of(mine.get(r.location))
    session.refresh(theirs)
    assert theirs.ended_at is None


def test_sign_out_everywhere_refuses_another_clients_cookie(world, client_for, session):
    member = world.a.member("coordinator")
    two_factor.trust_device(session, member.user, "Firefox sur Linux")
    session.commit()
    mine, other = client_for(member), client_for(member)
    assert "Firefox sur Linux" in text_of(mine.get("/compte/sessions"))
    r = mine.post("/compte/sessions/partout")
    assert r.status_code == 303
    assert "Vous êtes déconnecté·e de toutes vos sessions" in text_of(mine.get(r.location))
    assert _home(other, world).status_code == 302
    assert _home(mine, world).status_code == 302
    assert all(row.ended_at is not None for row in _rows(session, member.user))
    devices = session.scalars(select(TrustedDevice).where(TrustedDevice.user_id == member.user.id))
    assert all(d.revoked_at is not None for d in devices)


def test_last_seen_is_written_at_most_once_a_minute(world, client_for, session):
    member = world.a.member("eti")
    web = client_for(member)
    (row,) = _rows(session, member.user)
    seen = utcnow() - timedelta(seconds=30)
    row.last_seen_at = seen
    session.commit()
    _home(web, world)
    session.refresh(row)
    assert abs((two_factor.aware(row.last_seen_at) - seen).total_seconds()) < 1
    row.last_seen_at = utcnow() - timedelta(minutes=2)
    session.commit()
    _home(web, world)
    session.refresh(row)
    assert utcnow() - two_factor.aware(row.last_seen_at) < timedelta(seconds=30)


def test_signing_out_ends_this_session_only(world, client_for, session):
    member = world.a.member("cip")
    mine, other = client_for(member), client_for(member)
    mine.post("/deconnexion")
    assert _home(mine, world).status_code == 302
    assert _home(other, world).status_code == 200
    assert sorted(r.ended_at is None for r in _rows(session, member.user)) == [False, True]
