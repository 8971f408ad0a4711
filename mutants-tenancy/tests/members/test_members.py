"""The administrator manages the structure's staff accounts."""

from __future__ import annotations

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Membership, User
from tests.site import text_of


def _url(world, path=""):
    return f"/s/{world.a.slug}/administration/membres{path}"


def test_admin_lists_members_of_their_structure_only(world, client_for):
    r = client_for(world.a.member("admin")).get(_url(world))
    html = text_of(r)
    assert r.status_code == 200
    assert world.a.member("cip").user.email in html
    assert world.b.member("cip").user.email not in html


def test_member_search_returns_a_fragment_for_htmx(world, client_for):
    client = client_for(world.a.member("admin"))
    r = client.get(_url(world, "?q=cip.alpha"), headers={"HX-Request": "true"})
    html = text_of(r)
    assert r.status_code == 200
    assert "<html" not in html and "cip.alpha@example.org" in html
    assert "eti.alpha@example.org" not in html
    assert "HX-Request" in r.headers["Vary"]
    # A boosted navigation gets the whole page.
    boosted = client.get(_url(world), headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in text_of(boosted)
    empty = client.get(_url(world, "?q=zzz"), headers={"HX-Request": "true"})
    assert "Aucune personne ne correspond à « zzz »." in text_of(empty)


def test_director_reads_but_cannot_change(world, client_for):
    client = client_for(world.a.member("director"))
    page = client.get(_url(world, f"/{world.a.member('target').id}"))
    assert page.status_code == 200
    assert "Modifier les rôles" not in text_of(page)
    assert client.post(_url(world, f"/{world.a.member('target').id}/desactiver")).status_code == 403


def test_invite_new_person_shows_link_when_no_smtp(world, client_for):
    client = client_for(world.a.member("all"))  # the direction: no second person needed
    r = client.post(
        _url(world, "/inviter"),
        data={
            "email": "Nouvelle.Personne@Example.org ",
            "first_name": "Yasmine",
            "last_name": "Benali",
            "roles": ["eti", "cip"],
            "job_title": "Encadrante maraîchage",
        },
    )
    assert r.status_code == 201
    html = text_of(r)
    assert (
        "Yasmine Benali (nouvelle.personne@example.org) est invité·e à rejoindre ACI Alpha" in html
    )
    assert "http://localhost/invitation#" in html
    user = db.session.scalar(select(User).where(User.email == "nouvelle.personne@example.org"))
    assert user.password_hash is None


def test_invite_existing_account_of_another_structure_reuses_it(world, client_for):
    other = world.b.member("cip").user
    r = client_for(world.a.member("all")).post(
        _url(world, "/inviter"),
        data={"email": other.email, "first_name": "X", "last_name": "Y", "roles": ["cip"]},
    )
    assert r.status_code == 201
    # No link on screen for an account another structure knows: it must go by e-mail.
    assert "doit partir par courriel" in text_of(r)
    assert "/invitation#" not in text_of(r)
    assert db.session.scalar(select(User).where(User.email == other.email)).id == other.id


def test_invite_errors_are_french_and_keep_input(world, client_for):
    client = client_for(world.a.member("admin"))
    r = client.post(
        _url(world, "/inviter"),
        data={"email": "pas-une-adresse", "first_name": "Léa", "last_name": "", "roles": []},
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "Adresse e-mail invalide" in html
    assert "Ce champ est obligatoire." in html
    assert "Choisissez au moins un rôle." in html
    assert 'value="Léa"' in html and 'value="pas-une-adresse"' in html
    dup = client.post(
        _url(world, "/inviter"),
        data={
            "email": world.a.member("cip").user.email,
            "first_name": "A",
            "last_name": "B",
            "roles": ["cip"],
        },
    )
    assert dup.status_code == 422
    assert "fait déjà partie de la structure" in text_of(dup)


def test_change_roles(world, client_for):
    target = world.a.member("target")
    r = client_for(world.a.member("all")).post(
        _url(world, f"/{target.id}/roles"), data={"roles": ["eti", "coordinator"]}
    )
    assert r.status_code == 303
    assert target.roles == ["eti", "coordinator"]


def test_last_admin_keeps_admin_role(world, client_for, session):
    world.a.member("all").is_active = False
    session.commit()
    admin = world.a.member("admin")
    r = client_for(admin).post(_url(world, f"/{admin.id}/roles"), data={"roles": ["director"]})
    assert r.status_code == 422
    assert "au moins un administrateur actif" in text_of(r)
    assert "admin" in admin.roles


def test_deactivate_then_the_person_cannot_sign_in_here(world, client_for):
    target = world.a.member("target")
    target_client = client_for(target)
    assert target_client.get(f"/s/{world.a.slug}/").status_code == 200
    admin = client_for(world.a.member("admin"))
    r = admin.post(_url(world, f"/{target.id}/desactiver"), follow_redirects=True)
    assert "est désactivé" in text_of(r)
    assert target.is_active is False
    # Their access here ended at once (checked per membership at each request).
    assert target_client.get(f"/s/{world.a.slug}/").status_code == 404
    r = admin.post(_url(world, f"/{target.id}/reactiver"), follow_redirects=True)
    assert "est réactivé" in text_of(r)


def test_admin_cannot_deactivate_themself(world, client_for):
    admin = world.a.member("admin")
    r = client_for(admin).post(_url(world, f"/{admin.id}/desactiver"), follow_redirects=True)
    assert "Vous ne pouvez pas désactiver votre propre accès." in text_of(r)
    assert admin.is_active


def test_members_page_query_count_does_not_grow(world, client_for, session):
    from tests.factories import MembershipFactory, UserFactory
    from tests.querycount import count_queries

    client = client_for(world.a.member("admin"))
    with count_queries() as before:
        client.get(_url(world))
    for _ in range(15):
        MembershipFactory(structure=world.a.structure, user=UserFactory(), roles=["cip"])
    with count_queries() as after:
        r = client.get(_url(world))
    assert r.status_code == 200
    assert after.count == before.count
    assert db.session.scalar(select(Membership).where(Membership.id == world.a.member("cip").id))


def test_with_smtp_the_link_goes_by_mail_and_is_not_shown(app, world, client_for, monkeypatch):
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "siae_app.services.accounts.invitations.send_mail",
        lambda to, subject, body, purpose: sent.append(body) or True,
    )
    r = client_for(world.a.member("all")).post(
        _url(world, "/inviter"),
        data={
            "email": "par.courriel@example.org",
            "first_name": "Jo",
            "last_name": "Lemaire",
            "roles": ["cip"],
        },
    )
    html = text_of(r)
    assert r.status_code == 201
    assert "Un courriel d'invitation a été envoyé à par.courriel@example.org" in html
    assert "/invitation#" not in html
    assert "/invitation#" in sent[0]
