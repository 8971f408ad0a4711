"""Invitations, password policy, password reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from siae_app.services.passwords import password_problems
from siae_app.services.tokens import INVITATION, RESET, make_token
from tests.factories import UserFactory
from tests.site import text_of

GOOD = "Tomates-Cerises-Sous-Serre-88"


@pytest.fixture
def invited(world, session):
    from siae_app.models import Membership

    user = UserFactory(email="nouvelle.recrue@example.org", password_hash=None)
    m = Membership(structure_id=world.a.structure.id, user=user, roles=["eti"])
    session.add(m)
    session.commit()
    return user


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("court", "au moins 12 caractères (5 saisis)"),
        ("motdepasse123", "trop facile à deviner"),
        ("azertyuiopqsdf", "trop facile à deviner"),
        ("Marie-Dupont-2026!", "ne doit pas contenir votre nom"),
    ],
)
def test_password_policy_explains_in_french(password, expected):
    problems = " ".join(password_problems(password, ["marie.dupont", "Marie", "Dupont"]))
    assert expected in problems


def test_good_password_passes():
    assert password_problems(GOOD, ["nouvelle.recrue", "Inès", "Roux"]) == []


def test_invitation_sets_password_and_signs_in(app, world, client, invited):
    with app.test_request_context():
        token = make_token(invited, INVITATION)
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200 and f"Bienvenue, {invited.first_name}" in text_of(page)
    r = client.post(f"/invitation/{token}", data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302 and r.location.endswith(f"/s/{world.a.slug}/")
    # The link works once.
    again = client.get(f"/invitation/{token}")
    assert again.status_code == 400
    assert "déjà été utilisé" in text_of(again)


def test_weak_password_is_refused_and_the_form_explains(app, client, invited):
    with app.test_request_context():
        token = make_token(invited, INVITATION)
    r = client.post(f"/invitation/{token}", data={"password": "soleil123", "confirm": "soleil123"})
    assert r.status_code == 422
    assert "au moins 12 caractères" in text_of(r)
    r = client.post(f"/invitation/{token}", data={"password": GOOD, "confirm": GOOD + "x"})
    assert "Les deux mots de passe diffèrent." in text_of(r)
    assert invited.password_hash is None


def test_expired_or_forged_invitation(app, client, invited):
    with app.test_request_context():
        token = make_token(invited, INVITATION)
    app.config["INVITATION_MAX_AGE"] = timedelta(seconds=-1)
    try:
        r = client.get(f"/invitation/{token}")
    finally:
        app.config["INVITATION_MAX_AGE"] = timedelta(days=7)
    assert r.status_code == 400 and "Ce lien a expiré" in text_of(r)
    r = client.get(f"/invitation/{token[:-3]}abc")
    assert r.status_code == 400 and "Ce lien n'est pas valide." in text_of(r)
    # A reset link is not an invitation link.
    with app.test_request_context():
        reset = make_token(invited, RESET)
    assert client.get(f"/invitation/{reset}").status_code == 400


def test_forgot_password_says_the_same_thing_whether_or_not_the_account_exists(
    app, world, client, caplog
):
    caplog.set_level("INFO")
    known = client.post(
        "/mot-de-passe/oublie",
        data={"email": world.a.member("eti").user.email},
        follow_redirects=True,
    )
    unknown = client.post(
        "/mot-de-passe/oublie", data={"email": "inconnu@example.org"}, follow_redirects=True
    )
    message = "Si un compte existe pour cette adresse"
    assert message in text_of(known) and message in text_of(unknown)
    links = re.findall(r"(http://localhost/mot-de-passe/reinitialiser/\S+)", caplog.text)
    assert len(links) == 1  # only the real account got a link (in the log, no SMTP here)


def test_reset_password_flow(app, world, client, caplog):
    caplog.set_level("INFO")
    user = world.a.member("eti").user
    old_hash = user.password_hash
    client.post("/mot-de-passe/oublie", data={"email": user.email})
    link = re.search(r"http://localhost(/mot-de-passe/reinitialiser/\S+)", caplog.text).group(1)
    r = client.post(link, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    assert user.password_hash != old_hash
    assert client.get(link).status_code == 400  # used once


def test_mail_goes_over_smtp_when_configured(app, world, client, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("tls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, msg):
            sent.append(("send", msg["To"], msg["Subject"]))

    monkeypatch.setattr("siae_app.services.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "robot")
    client.post("/mot-de-passe/oublie", data={"email": world.a.member("eti").user.email})
    assert ("connect", "smtp.example.org", 587) in sent
    assert ("tls",) in sent
    assert any(s[0] == "send" and s[1] == world.a.member("eti").user.email for s in sent)
