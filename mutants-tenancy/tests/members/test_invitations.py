"""Invitations are bound to the structure that issued them and need the person's consent.

Security review findings 1 and 2: an invitation link shown on screen must never let another
structure's administrator choose the password of an account; an existing account joins a
structure only when its owner accepts; deactivation in one structure ends only that access.
"""

from __future__ import annotations

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Membership, User
from tests.factories import TEST_PASSWORD
from tests.links import link_in, open_link
from tests.site import enrol_at_sign_in, text_of

GOOD = "Tomates-Cerises-Sous-Serre-88"


def _invite(client, site, email, first="Camille", last="Martin", roles=("admin",)):
    # A role that needs no second person's approval: these tests are about the link itself
    # (tests/members/test_approvals.py covers the roles that read personal data).
    return client.post(
        f"/s/{site.slug}/administration/membres/inviter",
        data={"email": email, "first_name": first, "last_name": last, "roles": list(roles)},
    )


def _link(response):
    return link_in(text_of(response))


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _membership(site, user):
    return db.session.scalar(
        select(Membership).where(
            Membership.structure_id == site.structure.id, Membership.user_id == user.id
        )
    )


def test_second_structure_gets_no_link_and_cannot_take_over(world, client_for, client):
    """The takeover of the review: B's admin must not set the password and land in A."""
    first = _invite(client_for(world.a.member("admin")), world.a, "x@example.org")
    link_a = _link(first)
    assert first.status_code == 201 and link_a
    ma = _membership(world.a, _user("x@example.org"))
    page_a = client_for(world.a.member("admin")).get(
        f"/s/{world.a.slug}/administration/membres/{ma.id}"
    )
    assert _link(page_a)  # a brand-new account: A may hand the link over
    second = _invite(client_for(world.b.member("admin")), world.b, "x@example.org")
    html = text_of(second)
    assert second.status_code == 201
    assert _link(second) is None
    assert "doit partir par courriel" in html and "SMTP" in html
    # B's member page offers no link either.
    mb = _membership(world.b, _user("x@example.org"))
    page = client_for(world.b.member("admin")).get(
        f"/s/{world.b.slug}/administration/membres/{mb.id}"
    )
    assert "/invitation#" not in text_of(page)
    # A's link was shown before another structure invited the address: it no longer works.
    r = client.get(open_link(client, link_a))
    assert r.status_code == 400
    assert _user("x@example.org").password_hash is None


def test_accepting_a_link_activates_only_its_own_structure(app, world, client_for, client):
    from siae_app.services.accounts import invitation_link

    _invite(client_for(world.a.member("admin")), world.a, "y@example.org")
    _invite(client_for(world.b.member("admin")), world.b, "y@example.org")
    user = _user("y@example.org")
    ma, mb = _membership(world.a, user), _membership(world.b, user)
    with app.test_request_context():
        link = invitation_link(ma)  # what the mail to the person carries
    path = open_link(client, link)
    page = client.get(path)
    assert page.status_code == 200 and world.a.structure.name in text_of(page)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 303 and r.location.endswith("/activer-double-authentification")
    assert enrol_at_sign_in(client).status_code == 302  # an administrator enrols first
    assert ma.is_active and ma.accepted_at is not None
    assert not mb.is_active and mb.accepted_at is None
    assert client.get(f"/s/{world.a.slug}/").status_code == 200
    assert client.get(f"/s/{world.b.slug}/").status_code == 404
    # B's invitation waits on the structure chooser.
    chooser = text_of(client.get("/structures"))
    assert f"Invitation de {world.b.structure.name}" in chooser


def test_link_for_an_account_with_a_password_never_sets_it(app, world, client_for, client):
    """Accepting never changes the password of an account that already has one."""
    from siae_app.services.accounts import invitation_link

    person = world.b.member("cip")
    _invite(client_for(world.a.member("admin")), world.a, person.user.email)
    membership = _membership(world.a, person.user)
    with app.test_request_context():
        link = invitation_link(membership)
    old_hash = person.user.password_hash
    path = open_link(client, link)
    page = client.get(path)
    assert "Connectez-vous" in text_of(page)
    assert 'name="password"' not in text_of(page)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code in (400, 405)
    assert person.user.password_hash == old_hash
    assert not membership.is_active


def test_token_is_bound_to_its_membership(app, world, client_for, client, session):
    from siae_app.services.accounts import invitation_link

    _invite(client_for(world.a.member("admin")), world.a, "z@example.org")
    membership = _membership(world.a, _user("z@example.org"))
    with app.test_request_context():
        link = invitation_link(membership)
    # The administrator cancels the invitation: the link dies with it.
    r = client_for(world.a.member("admin")).post(
        f"/s/{world.a.slug}/administration/membres/{membership.id}/desactiver"
    )
    assert r.status_code == 303
    dead = client.get(open_link(client, link))
    assert dead.status_code == 400
    assert "Ce lien a déjà été utilisé ou n'est plus valide." in text_of(dead)
    assert "Mot de passe" not in text_of(dead)  # no form to choose one


def test_existing_account_stays_pending_until_its_owner_accepts(world, client_for, app):
    person = world.b.member("cip")
    person.user.last_login_at = None
    # Names no one else of the world can carry (a random « Pascal » may be someone's first name).
    person.user.first_name, person.user.last_name = "Ombeline", "Discrétaire"
    admin = client_for(world.a.member("admin"))
    r = _invite(admin, world.a, person.user.email, first="Typé", last="Parlinviteur")
    html = text_of(r)
    assert r.status_code == 201
    # The inviter sees only what they typed.
    assert "Typé Parlinviteur" in html
    assert person.user.first_name not in html and person.user.last_name not in html
    membership = _membership(world.a, person.user)
    assert not membership.is_active
    page = text_of(admin.get(f"/s/{world.a.slug}/administration/membres/{membership.id}"))
    assert person.user.last_name not in page and world.b.structure.name not in page
    assert "Invitation en attente" in page
    listing = text_of(admin.get(f"/s/{world.a.slug}/administration/membres"))
    assert person.user.last_name not in listing
    # A pending membership gives no access.
    invited = client_for(person)
    assert invited.get(f"/s/{world.a.slug}/").status_code == 404
    chooser = text_of(invited.get("/structures"))
    assert f"Invitation de {world.a.structure.name}" in chooser
    r = invited.post(f"/invitations/{membership.id}/accepter")
    assert r.status_code == 303
    assert membership.is_active
    assert invited.get(f"/s/{world.a.slug}/").status_code == 200


def test_an_invitation_can_be_refused(world, client_for):
    person = world.b.member("eti")
    _invite(client_for(world.a.member("admin")), world.a, person.user.email)
    membership = _membership(world.a, person.user)
    invited = client_for(person)
    r = invited.post(f"/invitations/{membership.id}/refuser")
    assert r.status_code == 303
    assert not membership.is_active and membership.deactivated_at is not None
    assert f"Invitation de {world.a.structure.name}" not in text_of(invited.get("/structures"))
    assert invited.get(f"/s/{world.a.slug}/").status_code == 404
    # Someone else's invitation cannot be answered.
    other = world.b.member("director")
    _invite(client_for(world.a.member("admin")), world.a, other.user.email)
    pending = _membership(world.a, other.user)
    assert invited.post(f"/invitations/{pending.id}/accepter").status_code == 404
    assert not pending.is_active


def test_sign_in_with_only_a_pending_invitation_lands_on_the_chooser(world, client_for, client):
    person = world.b.member("eti")
    _invite(client_for(world.a.member("admin")), world.a, person.user.email)
    r = client.post("/connexion", data={"email": person.user.email, "password": TEST_PASSWORD})
    assert r.status_code == 302 and r.location.endswith("/structures")
    chooser = text_of(client.get(r.location))
    assert "ACI Alpha" in chooser and "Recyclerie Bêta" in chooser
    assert "Accepter" in chooser


def test_deactivation_in_one_structure_keeps_the_other_session(world, client_for):
    shared_a = world.shared_user_membership_a
    client = client_for(shared_a)
    home_b = client.get(f"/s/{world.b.slug}/")
    assert home_b.status_code == 200 and "Recyclerie Bêta" in text_of(home_b)
    r = client_for(world.a.member("admin")).post(
        f"/s/{world.a.slug}/administration/membres/{shared_a.id}/desactiver"
    )
    assert r.status_code == 303
    home_b = client.get(f"/s/{world.b.slug}/")
    assert home_b.status_code == 200 and "Bonjour" in text_of(home_b)
    home_a = client.get(f"/s/{world.a.slug}/")
    assert home_a.status_code == 404 and "Page introuvable" in text_of(home_a)
    assert "ACI Alpha" not in text_of(home_a)


def test_an_account_made_from_a_screen_link_cannot_accept_other_invitations(
    world, client_for, client
):
    """B's admin invites x first, takes the on-screen link and sets the password; when A
    later invites x, that account cannot accept A's invitation from the chooser."""
    link_b = _link(_invite(client_for(world.b.member("admin")), world.b, "w@example.org"))
    r = client.post(open_link(client, link_b), data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 303
    assert enrol_at_sign_in(client).status_code == 302  # an administrator enrols first
    assert _user("w@example.org").email_verified_at is None
    _invite(client_for(world.a.member("admin")), world.a, "w@example.org")
    ma = _membership(world.a, _user("w@example.org"))
    chooser = text_of(client.get("/structures"))
    assert f"Invitation de {world.a.structure.name}" in chooser
    assert "ouvrez le lien reçu par courriel" in chooser
    r = client.post(f"/invitations/{ma.id}/accepter", follow_redirects=True)
    assert "ouvrez le lien reçu par courriel" in text_of(r)
    assert not ma.is_active
    assert client.get(f"/s/{world.a.slug}/").status_code == 404


def test_existing_account_accepts_through_the_mailed_link_after_signing_in(
    app, world, client_for, client, monkeypatch
):
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "siae_app.services.accounts.invitations.send_mail",
        lambda to, subject, body, purpose: sent.append((to, body)) or True,
    )
    person = world.b.member("coordinator")
    person.user.email_verified_at = None  # even an account never proven by mail
    _invite(client_for(world.a.member("admin")), world.a, person.user.email)
    membership = _membership(world.a, person.user)
    link = link_in(sent[0][1])
    assert sent[0][0] == person.user.email
    # Opened while signed out: sign in first, then come back to answer.
    path = open_link(client, link)
    page = text_of(client.get(path))
    assert "Connectez-vous" in page and f"suite={path}" in page
    r = client.post(
        f"/connexion?suite={path}", data={"email": person.user.email, "password": TEST_PASSWORD}
    )
    # Back to the token-free page, which still knows the link opened before signing in.
    assert r.status_code == 302 and r.location == path
    answer = text_of(client.get(path))
    assert "Accepter" in answer and "Refuser" in answer
    r = client.post(path, data={"answer": "accept"})
    assert r.status_code == 303
    assert membership.is_active and person.user.email_verified_at is not None
    assert client.get(f"/s/{world.a.slug}/").status_code == 200
    # Only invitation pages are followed after sign-in (no open redirect).
    other = app.test_client()
    r = other.post(
        "/connexion?suite=https://evil.example.org/",
        data={"email": person.user.email, "password": TEST_PASSWORD},
    )
    assert "evil" not in r.location
