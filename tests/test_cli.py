"""Operator commands: structures, demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Membership, Structure, Team, User


def _invoke(app, *args):
    runner = app.test_cli_runner()
    return runner.invoke(args=list(args))


def test_structure_create_and_list(app, world):
    r = _invoke(
        app,
        "structure",
        "create",
        "--slug",
        "regie-des-tilleuls",
        "--name",
        "Régie de quartier des Tilleuls",
        "--kind",
        "RQ",
        "--admin-email",
        "direction@tilleuls.example.org",
        "--admin-first-name",
        "Nadia",
        "--admin-last-name",
        "Haddad",
    )
    assert r.exit_code == 0, r.output
    assert "Structure créée : regie-des-tilleuls" in r.output
    assert "http://localhost/invitation#" in r.output
    listing = _invoke(app, "structure", "list").output.splitlines()
    assert "regie-des-tilleuls\tRégie de quartier des Tilleuls" in listing
    assert "alpha\tACI Alpha" in listing
    # Listing shows no personal data.
    assert "@" not in "\n".join(listing)


def test_structure_invite_lets_the_operator_bring_in_the_direction(app, world):
    """What a single administrator is told to ask for: the operator invites the direction
    (no approval: the operator answers for it), who may then approve their requests."""
    r = _invoke(
        app, "structure", "invite", "--slug", "alpha", "--email", "dir2@example.org",
        "--first-name", "Inès", "--last-name", "Roux", "--role", "director",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Inès Roux est invité·e à rejoindre ACI Alpha." in r.output
    assert "http://localhost/invitation" in r.output
    user = db.session.scalar(select(User).where(User.email == "dir2@example.org"))
    with tenancy.tenant_scope(db.session, world.a.structure.id):
        m = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert m.roles == ["director"] and m.is_pending and not m.awaits_approval
    r = _invoke(
        app, "structure", "invite", "--slug", "nulle-part", "--email", "x@example.org",
        "--first-name", "X", "--last-name", "Y", "--role", "director",
    )  # fmt: skip
    assert r.exit_code != 0 and "Aucune structure n'a l'identifiant « nulle-part »" in r.output


def test_structure_create_errors_in_french(app, world):
    r = _invoke(
        app,
        "structure",
        "create",
        "--slug",
        "alpha",
        "--name",
        "Doublon",
        "--admin-email",
        "x@example.org",
        "--admin-first-name",
        "X",
        "--admin-last-name",
        "Y",
    )
    assert r.exit_code != 0 and "utilise déjà l'identifiant « alpha »" in r.output
    r = _invoke(
        app,
        "structure",
        "create",
        "--slug",
        "Pas Bon!",
        "--name",
        "X",
        "--admin-email",
        "x@example.org",
        "--admin-first-name",
        "X",
        "--admin-last-name",
        "Y",
    )
    assert r.exit_code != 0 and "Identifiant invalide" in r.output


@pytest.mark.demo
def test_demo_load_is_idempotent(session, demo_db):
    """`flask demo load` ran twice on the demo database (tests/demo_db.py): the second load
    adds no row to any table."""
    first, again = demo_db.loads
    assert first.exit_code == 0, first.output
    assert "eti.jardins@example.org" in first.output
    assert "multi.structures@example.org" in first.output
    assert "direction.groupe@example.org" in first.output
    counts = [first.counts[m.__tablename__] for m in (Structure, User, Membership, Team)]
    assert again.exit_code == 0, again.output
    assert again.counts == first.counts
    assert counts == [
        session.scalar(select(func.count()).select_from(m))
        for m in (Structure, User, Membership, Team)
    ]
    assert counts[0] == 2 and counts[1] == 12  # 5 roles × 2, the shared ETI/CIP, the group
    shared = session.scalar(select(User).where(User.email == "multi.structures@example.org"))
    assert (
        session.scalar(
            select(func.count()).select_from(Membership).where(Membership.user_id == shared.id)
        )
        == 2
    )
