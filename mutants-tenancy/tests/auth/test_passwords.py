"""Invitations, password policy, password reset."""

from __future__ import annotations

from datetime import timedelta

import pytest

from siae_app.services.passwords import password_problems
from tests.factories import UserFactory
from tests.links import link_in, open_link, split_link
from tests.site import text_of

GOOD = "Tomates-Cerises-Sous-Serre-88"


@pytest.fixture
def invited(world, session):
    """A new person invited to structure A (pending), not yet with a password."""
    from siae_app.models import Membership
    from siae_app.models.base import utcnow

    user = UserFactory(email="nouvelle.recrue@example.org", password_hash=None)
    m = Membership(
        structure_id=world.a.structure.id,
        user=user,
        roles=["eti"],
        is_active=False,
        invited_at=utcnow(),
    )
    session.add(m)
    session.commit()
    return m


def _invitation_link(app, membership) -> str:
    from siae_app.services.accounts import invitation_link

    with app.test_request_context():
        return invitation_link(membership)


def _invitation_path(app, client, membership) -> str:
    """The invitation's token-free page, once the link is opened in ``client``."""
    return open_link(client, _invitation_link(app, membership))


@pytest.fixture
def mails(monkeypatch):
    """Messages the app would send (subject, body), captured instead of logged."""
    sent = []

    def fake(to, subject, body, purpose="message"):
        sent.append((to, subject, body))
        return False

    for where in ("core", "invitations"):
        monkeypatch.setattr(f"siae_app.services.accounts.{where}.send_mail", fake)
    return sent


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("court", "au moins 12 caractères (5 saisis)"),
        ("motdepasse123", "figure dans les listes de mots de passe connus"),
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
    path = _invitation_path(app, client, invited)
    page = client.get(path)
    assert page.status_code == 200 and f"Bienvenue, {invited.user.first_name}" in text_of(page)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302 and r.location.endswith(f"/s/{world.a.slug}/")
    assert invited.is_active and invited.accepted_at is not None
    # The link works once.
    again = client.get(open_link(client, _invitation_link(app, invited)))
    assert again.status_code == 400
    assert "déjà été utilisé" in text_of(again)


def test_weak_password_is_refused_and_the_form_explains(app, client, invited):
    path = _invitation_path(app, client, invited)
    r = client.post(path, data={"password": "soleil123", "confirm": "soleil123"})
    assert r.status_code == 422
    assert "au moins 12 caractères" in text_of(r)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD + "x"})
    assert "Les deux mots de passe diffèrent." in text_of(r)
    assert invited.user.password_hash is None and not invited.is_active


def test_expired_or_forged_invitation(app, client, invited):
    from siae_app.services.accounts import reset_link

    link = _invitation_link(app, invited)
    path = open_link(client, link)
    app.config["INVITATION_MAX_AGE"] = timedelta(seconds=-1)
    try:
        r = client.get(path)
    finally:
        app.config["INVITATION_MAX_AGE"] = timedelta(days=7)
    assert r.status_code == 400 and "Ce lien a expiré" in text_of(r)
    r = client.get(open_link(client, f"{link[:-3]}abc"))
    assert r.status_code == 400 and "Ce lien n'est pas valide." in text_of(r)
    # A reset link is not an invitation link.
    with app.test_request_context():
        token = split_link(reset_link(invited.user))[1]
    assert client.get(open_link(client, f"/invitation#{token}")).status_code == 400


def test_forgot_password_says_the_same_thing_whether_or_not_the_account_exists(
    app, world, client, mails
):
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
    assert [to for to, _, _ in mails] == [world.a.member("eti").user.email]


def test_reset_password_flow(app, world, client, mails):
    user = world.a.member("eti").user
    old_hash = user.password_hash
    client.post("/mot-de-passe/oublie", data={"email": user.email})
    link = link_in(mails[0][2])
    path = open_link(client, link)
    assert path == "/mot-de-passe/reinitialiser"
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    assert user.password_hash != old_hash
    assert client.get(open_link(client, link)).status_code == 400  # used once


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


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Correct-Horse-Battery-Staple",
        "CORRECT_HORSE.BATTERY staple",
        "ilovemyfamily",
        "Q1w2e3r4t5y6",
    ],
)
def test_breached_and_famous_passwords_are_refused(password):
    problems = " ".join(password_problems(password, []))
    assert "figure dans les listes de mots de passe connus" in problems


def test_no_link_or_address_in_the_log_without_smtp(app, world, client, client_for, caplog):
    """Finding 5: the log says a link was made, never the token, URL or address."""
    caplog.set_level("DEBUG")
    user = world.a.member("eti").user
    client.post("/mot-de-passe/oublie", data={"email": user.email})
    client_for(world.a.member("admin")).post(
        f"/s/{world.a.slug}/administration/membres/inviter",
        data={
            "email": "log.test@example.org",
            "first_name": "A",
            "last_name": "B",
            "roles": "admin",
        },
    )
    text = caplog.text
    assert "reinitialiser" not in text and "/invitation" not in text
    assert user.email not in text and "log.test@example.org" not in text
    assert "password-reset" in text and "invitation" in text
