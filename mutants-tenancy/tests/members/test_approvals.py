"""A role that reads personal data is given by two people (security review, finding 1).

The attack: an administrator invites a new address of their own as CIP and takes the link
(shown on screen without SMTP, or mailed to a mailbox they control). Now the invitation waits,
with no link, until the direction or another, independent administrator approves it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Membership, User
from siae_app.models.accounts import MembershipEvent
from siae_app.services import accounts
from tests import factories as f
from tests.links import link_in, open_link
from tests.site import enrol_at_sign_in, text_of

GOOD = "Tomates-Cerises-Sous-Serre-88"


def _url(site, path=""):
    return f"/s/{site.slug}/administration/membres{path}"


def _invite(client, site, email, roles=("cip",)):
    return client.post(
        _url(site, "/inviter"),
        data={"email": email, "first_name": "Camille", "last_name": "Martin", "roles": list(roles)},
    )


def _membership(site, email) -> Membership:
    user = db.session.scalar(select(User).where(User.email == email))
    with tenancy.tenant_scope(db.session, site.structure.id):
        return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def _second_admin(site, email="second.admin@example.org") -> Membership:
    """Another administrator, made by the operator (independent of the world's admin)."""
    return f.MembershipFactory(
        structure=site.structure, roles=["admin"], user=f.UserFactory(email=email)
    )


def _events(membership):
    with tenancy.tenant_scope(db.session, membership.structure_id):
        rows = db.session.scalars(
            select(MembershipEvent)
            .where(MembershipEvent.membership_id == membership.id)
            .order_by(MembershipEvent.created_at)
        ).all()
    return [(e.kind, e.actor_id, e.new_roles) for e in rows]


@pytest.fixture
def mails(app, monkeypatch):
    """With SMTP configured: what the invitations would send (to, body)."""
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "siae_app.services.accounts.invitations.send_mail",
        lambda to, subject, body, purpose: sent.append((to, body)) or True,
    )
    return sent


def test_admin_inviting_a_new_address_as_cip_gets_no_link_until_approved(world, client_for, client):
    """The attack of the review, without SMTP: no link on screen until a second person."""
    admin, second = world.a.member("admin"), _second_admin(world.a)
    r = _invite(client_for(admin), world.a, "moi.aussi@example.org")
    html = text_of(r)
    assert r.status_code == 201
    assert "Invitation en attente d'approbation" in html
    assert "Aucun lien d'invitation n'existe" in html
    assert link_in(html) is None
    membership = _membership(world.a, "moi.aussi@example.org")
    assert membership.roles == [] and membership.requested_roles == ["cip"]
    assert not membership.is_active and membership.invited_at is None
    page = text_of(client_for(admin).get(_url(world.a, f"/{membership.id}")))
    assert link_in(page) is None and "En attente d'approbation" in page
    # The person's account knows nothing of it yet: nothing to accept, nothing to sign in to.
    assert accounts.pending_invitations(db.session, membership.user_id) == []
    assert accounts.authenticate(db.session, "moi.aussi@example.org", "x") is None
    # The requester cannot approve their own request.
    r = client_for(admin).post(_url(world.a, f"/{membership.id}/approuver"), follow_redirects=True)
    assert "Vous ne pouvez pas approuver votre propre demande" in text_of(r)
    assert membership.invited_at is None and membership.roles == []
    # Another administrator approves: only now is the link made.
    approver = client_for(second)
    r = approver.post(_url(world.a, f"/{membership.id}/approuver"))
    assert r.status_code == 303
    page = text_of(approver.get(r.location))
    assert "Demande approuvée : l'invitation de Camille Martin est prête" in page
    link = link_in(page)
    assert link and membership.roles == ["cip"] and membership.is_pending
    path = open_link(client, link)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302 and membership.is_active
    assert membership.roles == ["cip"]
    assert client.get(f"/s/{world.a.slug}/salaries/").status_code == 200


def test_with_smtp_nothing_is_mailed_before_the_direction_approves(world, client_for, mails):
    admin = world.a.member("admin")
    r = _invite(client_for(admin), world.a, "boite.a.moi@example.org")
    assert r.status_code == 201 and mails == []
    assert "Un courriel d'invitation a été envoyé" not in text_of(r)
    membership = _membership(world.a, "boite.a.moi@example.org")
    director = world.a.member("director")  # the direction only: no right to invite, may approve
    listing = text_of(client_for(director).get(_url(world.a)))
    assert "Demandes à approuver" in listing and "boite.a.moi@example.org" in listing
    assert "Approuver" in listing
    r = client_for(director).post(
        _url(world.a, f"/{membership.id}/approuver"), follow_redirects=True
    )
    assert "l'invitation de Camille Martin est partie par courriel" in text_of(r)
    assert [to for to, _ in mails] == ["boite.a.moi@example.org"]
    assert link_in(mails[0][1])


def test_a_structure_with_a_single_administrator_is_told_what_to_do(session, client_for):
    structure = f.StructureFactory(slug="seule", name="Régie Seule")
    alone = f.MembershipFactory(structure=structure, roles=["admin"])
    session.commit()
    r = client_for(alone).post(
        "/s/seule/administration/membres/inviter",
        data={"email": "cip@seule.example.org", "first_name": "Lou", "last_name": "Roy",
              "roles": ["eti", "cip"]},
    )  # fmt: skip
    html = text_of(r)
    assert r.status_code == 422
    assert "Aucune autre personne ne peut approuver ce rôle" in html
    assert "flask structure invite" in html and "--role director" in html
    assert 'value="cip@seule.example.org"' in html and 'value="Lou"' in html  # kept as typed
    assert db.session.scalar(select(User).where(User.email == "cip@seule.example.org")) is None


def test_an_administrator_made_by_the_requester_cannot_approve(world, session, client_for):
    """A single administrator's own second address, made administrator by them, approves
    nothing of theirs: the request is refused up front, as in a single-administrator
    structure."""
    structure = f.StructureFactory(slug="duo", name="Atelier Duo")
    first = f.MembershipFactory(structure=structure, roles=["admin"])
    session.commit()
    site = type("S", (), {"slug": "duo", "structure": structure})
    r = _invite(client_for(first), site, "mon.double@example.org", roles=("admin",))
    assert r.status_code == 201 and link_in(text_of(r))  # administration alone: today's flow
    double = _membership(site, "mon.double@example.org")
    double.is_active, double.accepted_at = True, double.invited_at
    double.user.password_hash = f.TEST_PASSWORD_HASH
    session.commit()
    assert double.admin_origin == first.id
    r = _invite(client_for(first), site, "cip.fantome@example.org")
    assert r.status_code == 422
    assert "Aucune autre personne ne peut approuver ce rôle" in text_of(r)
    # Nor may the first approve what the double asks.
    r = _invite(client_for(double), site, "cip.fantome@example.org")
    assert r.status_code == 422


def test_the_direction_gives_the_role_directly_but_never_to_itself(world, client_for):
    everything = world.a.member("all")  # direction and administration
    r = _invite(client_for(everything), world.a, "direct@example.org")
    assert r.status_code == 201 and link_in(text_of(r))
    assert _membership(world.a, "direct@example.org").roles == ["cip"]
    admin = world.a.member("admin")
    r = client_for(everything).post(
        _url(world.a, f"/{admin.id}/roles"), data={"roles": ["admin", "cip"]}
    )
    assert r.status_code == 303 and admin.roles == ["cip", "admin"]


def test_a_role_change_on_an_existing_member_follows_the_same_rule(world, client_for):
    admin, director, target = (
        world.a.member("admin"),
        world.a.member("director"),
        world.a.member("target"),
    )
    asking = client_for(admin)
    r = asking.post(_url(world.a, f"/{target.id}/roles"), data={"roles": ["eti", "cip"]})
    assert r.status_code == 303
    page = text_of(asking.get(r.location))
    assert "attendent l'approbation d'une autre personne" in page
    assert "Demande en attente d'approbation" in page
    assert target.roles == ["eti"] and target.requested_roles == ["eti", "cip"]
    r = client_for(admin).post(_url(world.a, f"/{target.id}/approuver"), follow_redirects=True)
    assert "Vous ne pouvez pas approuver votre propre demande" in text_of(r)
    assert target.roles == ["eti"]
    r = client_for(director).post(_url(world.a, f"/{target.id}/approuver"), follow_redirects=True)
    assert "a maintenant les rôles Encadrant·e technique (ETI), Conseiller·ère" in text_of(r)
    assert target.roles == ["eti", "cip"] and not target.awaits_approval
    # Administration alone keeps today's flow.
    r = client_for(admin).post(
        _url(world.a, f"/{target.id}/roles"), data={"roles": ["eti", "cip", "admin"]}
    )
    assert r.status_code == 303 and "admin" in target.roles


def test_nobody_approves_a_request_about_their_own_membership(world, client_for):
    admin = world.a.member("admin")
    director = world.a.member("director")
    r = client_for(admin).post(
        _url(world.a, f"/{director.id}/roles"), data={"roles": ["director", "cip"]}
    )
    assert r.status_code == 303 and director.awaits_approval
    r = client_for(director).post(_url(world.a, f"/{director.id}/approuver"), follow_redirects=True)
    assert "Vous ne pouvez pas approuver une demande qui vous donne des rôles." in text_of(r)
    assert director.roles == ["director"]


def test_who_asked_and_who_answered_is_in_the_history(world, client_for):
    admin, director = world.a.member("admin"), world.a.member("director")
    _invite(client_for(admin), world.a, "histoire@example.org", roles=("eti", "cip"))
    membership = _membership(world.a, "histoire@example.org")
    client_for(director).post(_url(world.a, f"/{membership.id}/approuver"))
    assert _events(membership) == [
        ("invite_requested", admin.id, ["eti", "cip"]),
        ("approved", director.id, ["eti", "cip"]),
    ]
    html = text_of(client_for(admin).get(_url(world.a, f"/{membership.id}")))
    history = html[html.index("Historique des rôles") :]
    assert "Invitation demandée (à approuver)" in history and admin.user.full_name in history
    assert "Demande approuvée" in history and director.user.full_name in history
    assert "aucun → Encadrant·e technique (ETI), Conseiller·ère en insertion (CIP)" in history


def test_a_refused_invitation_is_never_sent(world, client_for, mails):
    admin, director = world.a.member("admin"), world.a.member("director")
    _invite(client_for(admin), world.a, "refus@example.org")
    membership = _membership(world.a, "refus@example.org")
    r = client_for(director).post(
        _url(world.a, f"/{membership.id}/refuser-la-demande"), follow_redirects=True
    )
    assert "Demande concernant Camille Martin refusée." in text_of(r)
    assert mails == [] and membership.deactivated_at is not None and not membership.awaits_approval
    r = client_for(director).post(
        _url(world.a, f"/{membership.id}/approuver"), follow_redirects=True
    )
    assert "Aucune demande n'attend d'approbation" in text_of(r) and mails == []
    assert ("denied", director.id, ["cip"]) in _events(membership)
    # The requester may withdraw their own request.
    _invite(client_for(admin), world.a, "retrait@example.org")
    other = _membership(world.a, "retrait@example.org")
    r = client_for(admin).post(
        _url(world.a, f"/{other.id}/refuser-la-demande"), follow_redirects=True
    )
    assert "Demande concernant Camille Martin retirée." in text_of(r)
    assert "Demande retirée" in text_of(client_for(admin).get(_url(world.a, f"/{other.id}")))


def test_an_existing_account_sees_no_invitation_before_approval(world, client_for):
    person = world.b.member("eti")
    _invite(client_for(world.a.member("admin")), world.a, person.user.email)
    membership = _membership(world.a, person.user.email)
    invited = client_for(person)
    assert world.a.structure.name not in text_of(invited.get("/structures"))
    assert invited.post(f"/invitations/{membership.id}/accepter").status_code == 404
    assert not membership.is_active


def test_a_new_invitation_with_a_personal_role_kills_the_earlier_link(world, client_for, client):
    admin = world.a.member("admin")
    first = link_in(
        text_of(_invite(client_for(admin), world.a, "deux.fois@example.org", ("admin",)))
    )
    assert first
    r = _invite(client_for(admin), world.a, "deux.fois@example.org", ("admin", "cip"))
    assert r.status_code == 201 and link_in(text_of(r)) is None
    assert client.get(open_link(client, first)).status_code == 400


def test_the_direction_home_counts_the_requests_it_may_approve(world, client_for):
    _invite(client_for(world.a.member("admin")), world.a, "compte@example.org")
    home = text_of(client_for(world.a.member("director")).get(f"/s/{world.a.slug}/"))
    assert "1 demande de rôle à approuver" in home
    own = text_of(client_for(world.a.member("admin")).get(f"/s/{world.a.slug}/"))
    assert "demande de rôle à approuver" not in own  # the requester's own request


def test_answers_across_structures_are_not_found(world, client_for):
    _invite(client_for(world.a.member("admin")), world.a, "ailleurs@example.org")
    membership = _membership(world.a, "ailleurs@example.org")
    other = client_for(world.b.member("all"))
    for action in ("approuver", "refuser-la-demande"):
        assert other.post(_url(world.b, f"/{membership.id}/{action}")).status_code == 404
        assert other.post(_url(world.a, f"/{membership.id}/{action}")).status_code == 404
    assert membership.awaits_approval


def test_new_roles_on_a_sent_invitation_wait_too(world, client_for, client):
    """The invitation's link stays what was approved (administration); the CIP role asked on
    top of it comes only with the direction's approval."""
    admin, director = world.a.member("admin"), world.a.member("director")
    link = link_in(text_of(_invite(client_for(admin), world.a, "sent@example.org", ("admin",))))
    membership = _membership(world.a, "sent@example.org")
    roles = {"roles": ["admin", "cip"]}
    r = client_for(admin).post(_url(world.a, f"/{membership.id}/roles"), data=roles)
    assert r.status_code == 303 and membership.roles == ["admin"] and membership.is_pending
    path = open_link(client, link)
    r = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 303 and r.location.endswith("/activer-double-authentification")
    assert enrol_at_sign_in(client).status_code == 302  # an administrator enrols first
    assert membership.is_active and membership.roles == ["admin"]  # accepted as approved
    client_for(director).post(_url(world.a, f"/{membership.id}/approuver"))
    assert membership.roles == ["cip", "admin"]


def test_an_invitation_waiting_for_approval_keeps_its_roles_until_answered(world, client_for):
    admin = world.a.member("admin")
    _invite(client_for(admin), world.a, "attente@example.org")
    membership = _membership(world.a, "attente@example.org")
    page = text_of(client_for(admin).get(_url(world.a, f"/{membership.id}")))
    assert "Modifier les rôles" not in page and "Annuler l'invitation" in page
    r = client_for(admin).post(_url(world.a, f"/{membership.id}/roles"), data={"roles": ["admin"]})
    assert r.status_code == 422 and "annulez-la puis invitez à nouveau" in text_of(r)
    assert membership.requested_roles == ["cip"] and membership.roles == []
