"""Roles that read personal data are never self-granted, and every change is recorded."""

from __future__ import annotations

from tests.site import text_of


def _roles_url(world, membership):
    return f"/s/{world.a.slug}/administration/membres/{membership.id}/roles"


def test_admin_cannot_grant_themself_a_role_that_reads_personal_data(world, client_for):
    admin = world.a.member("admin")
    for role in ("cip", "coordinator", "eti", "director"):
        r = client_for(admin).post(_roles_url(world, admin), data={"roles": ["admin", role]})
        assert r.status_code == 422
        assert "vous attribuer vous-même" in text_of(r)
        assert admin.roles == ["admin"]


def test_admin_may_change_their_own_non_personal_roles(world, client_for):
    everything = world.a.member("all")
    # Dropping roles from oneself is fine.
    r = client_for(everything).post(_roles_url(world, everything), data={"roles": ["admin"]})
    assert r.status_code == 303
    assert everything.roles == ["admin"]


def test_another_administrator_grants_the_role(world, client_for):
    admin = world.a.member("admin")
    r = client_for(world.a.member("all")).post(
        _roles_url(world, admin), data={"roles": ["cip", "admin"]}
    )
    assert r.status_code == 303
    assert admin.roles == ["cip", "admin"]


def test_role_changes_are_recorded_and_shown_to_admin_and_direction(world, client_for):
    target = world.a.member("target")
    admin, director = world.a.member("admin"), world.a.member("director")
    client_for(admin).post(_roles_url(world, target), data={"roles": ["eti", "coordinator"]})
    client_for(director).post(f"/s/{world.a.slug}/administration/membres/{target.id}/approuver")
    page = f"/s/{world.a.slug}/administration/membres/{target.id}"
    for reader in ("admin", "director"):
        html = text_of(client_for(world.a.member(reader)).get(page))
        assert "Historique des rôles" in html
        assert admin.user.full_name in html and director.user.full_name in html
        assert "Rôles demandés (à approuver)" in html and "Demande approuvée" in html
        assert "Encadrant·e technique (ETI) → Encadrant·e technique (ETI), Coordination" in html
    # Structure B sees none of it.
    from sqlalchemy import select

    from siae_app import tenancy
    from siae_app.extensions import db
    from siae_app.models.accounts import MembershipEvent

    with tenancy.tenant_scope(db.session, world.b.structure.id):
        assert db.session.scalars(select(MembershipEvent)).all() == []
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        events = db.session.scalars(
            select(MembershipEvent).order_by(MembershipEvent.created_at)
        ).all()
    assert [(e.kind, e.actor_id, e.old_roles, e.new_roles) for e in events] == [
        ("roles_requested", admin.id, ["eti"], ["eti", "coordinator"]),
        ("approved", director.id, ["eti"], ["eti", "coordinator"]),
    ]
