"""``app_memberships_of(user_id)``, the web process's one read across structures, answers only
for the person named by the signed setting ``app.user_id`` / ``app.user_token``.

Raw SQL as the application's role (``app_connection``): what an SQL injection could send.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.tenancy.lookup import memberships_of
from tests.site import APP_KEY, ON_POSTGRES, app_role

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL seulement (rôles, RLS)")


def _set_user(conn, user_id, token: str | None = None) -> None:
    """The user setting, signed by the app's key unless ``token`` is given (an attacker's)."""
    uid = str(user_id or "")
    conn.execute(
        text(
            "SELECT set_config('app.user_id', :uid, true), "
            "set_config('app.user_token', :token, true)"
        ),
        {"uid": uid, "token": tenancy.user_token_for(uid, APP_KEY) if token is None else token},
    )


def _slugs(conn, user_id) -> list[str]:
    rows = conn.execute(text("SELECT slug FROM app_memberships_of(:u)"), {"u": user_id})
    return [r[0] for r in rows]


def test_with_the_signed_setting_only_that_persons_memberships(world, app_connection):
    conn = app_connection
    shared = world.shared_user_membership_a.user_id
    _set_user(conn, shared)
    rows = conn.execute(
        text("SELECT slug, roles, is_active FROM app_memberships_of(:u)"), {"u": shared}
    ).all()
    assert [(r.slug, r.roles, r.is_active) for r in rows] == [
        ("alpha", ["eti"], True),
        ("beta", ["cip"], True),
    ]
    only_a = world.a.member("cip").user_id
    _set_user(conn, only_a)
    assert _slugs(conn, only_a) == ["alpha"]
    # Still nothing through the tables themselves.
    assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 0


def test_without_a_correctly_signed_setting_no_one_is_answered(world, app_connection):
    """What an injection that learnt user ids (``users`` has no RLS) could try."""
    conn = app_connection
    shared = world.shared_user_membership_a.user_id
    other = world.b.member("director").user_id
    assert _slugs(conn, shared) == []  # no setting at all
    forged = [
        "",
        "0" * 64,
        tenancy.user_token_for(str(other), APP_KEY),  # another person's signature
        tenancy.token_for(str(shared), APP_KEY),  # the structure setting's way of signing
        tenancy.user_token_for(str(shared), b"not the key")[:-1] + "0",
        tenancy.user_token_for(str(shared), APP_KEY).upper(),
    ]
    for token in forged:
        _set_user(conn, shared, token=token)
        assert _slugs(conn, shared) == [], token
    # Signed for one person, asked about another: nothing either (the argument must match).
    _set_user(conn, other)
    assert _slugs(conn, shared) == []
    assert _slugs(conn, other) == ["beta"]


def test_the_signature_check_is_out_of_the_app_roles_reach(app_connection):
    with pytest.raises(Exception, match="permission denied"), app_connection.begin_nested():
        app_connection.execute(text("SELECT app_current_user()"))
    config, secdef = app_connection.execute(
        text("SELECT proconfig, prosecdef FROM pg_proc WHERE proname = 'app_current_user'")
    ).one()
    assert config == ["search_path=pg_catalog, pg_temp"] and secdef is True


def test_the_lookup_signs_the_person_for_the_call_only(app, world, _transaction):
    """tenancy.lookup sets the signed setting around its call and empties it after: a later
    statement of the same request finds no person to answer for."""
    shared = world.shared_user_membership_a.user_id
    with app.app_context(), app_role(_transaction):
        tenancy.activate(db.session, world.a.structure.id)
        found = memberships_of(db.session, shared)
        assert [m.structure.slug for m in found] == ["alpha", "beta"]
        conn = db.session.connection()
        assert conn.execute(text("SELECT current_setting('app.user_token', true)")).scalar() == ""
        assert _slugs(conn, shared) == []
