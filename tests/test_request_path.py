"""What every signed-in page pays before its view: the statements sent and the session cookie."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from siae_app import web
from siae_app.blueprints import scope
from siae_app.extensions import db
from tests.site import ON_POSTGRES, text_of


@contextmanager
def statements_sent():
    """Every statement sent while the block runs (the tests' savepoints aside)."""
    sent: list[str] = []
    engine = db.session.get_bind().engine

    def note(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _structure_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if "FROM structures" in s]


def test_a_known_structure_and_the_membership_come_in_one_query(app, world, client_for):
    client = client_for(world.a.member("eti"))
    app.extensions[scope.SLUG_HINTS].clear()
    with statements_sent() as first:
        assert client.get(f"/s/{world.a.slug}/").status_code == 200  # the slug becomes known
    assert [r for r in _structure_reads(first) if "JOIN memberships" not in r]
    with statements_sent() as sent:
        page = client.get(f"/s/{world.a.slug}/")
    assert page.status_code == 200 and "Accueil" in text_of(page)
    reads = _structure_reads(sent)
    assert len(reads) == 1, reads
    assert "JOIN memberships" in reads[0] and "structures.slug" in reads[0]


def test_a_stale_hint_is_looked_up_again_and_corrected(app, world, client_for):
    """A hint naming another structure (a slug given to a new structure) or none at all is
    only a hint: the page is the slug's, and the hint is put right."""
    client = client_for(world.a.member("eti"))
    hints = app.extensions.setdefault(scope.SLUG_HINTS, {})
    for wrong in (world.b.structure.id, uuid.uuid4()):
        hints[world.a.slug] = wrong
        page = client.get(f"/s/{world.a.slug}/")
        assert page.status_code == 200
        assert world.a.structure.name in text_of(page)
        assert hints[world.a.slug] == world.a.structure.id


def test_a_hint_opens_nothing_to_a_person_who_is_not_a_member(app, world, client_for):
    client = client_for(world.b.member("eti"))
    app.extensions.setdefault(scope.SLUG_HINTS, {})[world.a.slug] = world.a.structure.id
    page = client.get(f"/s/{world.a.slug}/")
    assert page.status_code == 404
    assert world.a.structure.name not in text_of(page)


@pytest.mark.skipif(not ON_POSTGRES, reason="the structure setting exists on PostgreSQL only")
def test_the_structure_setting_is_sent_once_and_never_empty_for_nothing(app, world, client_for):
    client = client_for(world.a.member("eti"))
    client.get(f"/s/{world.a.slug}/")
    with statements_sent() as sent:
        assert client.get(f"/s/{world.a.slug}/").status_code == 200
    settings = [s for s in sent if "set_config('app.structure_id'" in s]
    # The tests' outer transaction never commits: one empty setting may open the request
    # (a transaction that carried a structure), then the structure's own, once.
    assert 1 <= len(settings) <= 2, settings


@pytest.mark.skipif(not ON_POSTGRES, reason="the structure setting exists on PostgreSQL only")
def test_a_fresh_transaction_with_no_structure_sends_no_setting(app):
    """Outside the tests' shared transaction, as in production: a transaction that begins
    with no structure sends nothing more than its own statements; a structure activated
    before any statement rides on the transaction's first; once committed, the next
    transaction with no structure again sends nothing."""
    from sqlalchemy.orm import Session

    from siae_app import tenancy

    with app.app_context():
        engine = db.engine
        seen: list[str] = []

        def note(conn, cursor, statement, *rest):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", note)
        try:
            with Session(bind=engine) as session:
                session.execute(db.text("SELECT 1"))
                session.commit()
                assert not [s for s in seen if "set_config" in s], seen
                tenancy.activate(session, uuid.uuid4())
                assert not [s for s in seen if "set_config" in s]  # nothing sent yet
                session.execute(db.text("SELECT 1"))
                assert len([s for s in seen if "set_config" in s]) == 1
                session.commit()
                tenancy.deactivate(session)
                seen.clear()
                session.execute(db.text("SELECT 1"))
                session.commit()
                assert seen == ["SELECT 1"], seen
        finally:
            event.remove(engine, "before_cursor_execute", note)


def test_an_unchanged_session_cookie_is_sent_again_at_most_once_a_minute(
    world, client_for, monkeypatch
):
    client = client_for(world.a.member("eti"))
    first = client.get(f"/s/{world.a.slug}/")
    assert first.status_code == 200
    again = client.get(f"/s/{world.a.slug}/")
    assert again.status_code == 200 and "Set-Cookie" not in again.headers
    monkeypatch.setattr(web, "COOKIE_REFRESH_AFTER", timedelta(0))
    later = client.get(f"/s/{world.a.slug}/")
    assert "Expires=" in later.headers["Set-Cookie"]


def test_a_changed_session_is_sent_at_once(world, client_for):
    """Opening the other structure changes the session (the last structure opened): its
    cookie goes back at once, whatever the minute."""
    shared = world.a.member("eti").user
    client = client_for(shared)
    client.get(f"/s/{world.a.slug}/")
    client.get(f"/s/{world.a.slug}/")
    with client.session_transaction() as s:
        s["last_structure"] = "ailleurs"
    answer = client.get(f"/s/{world.a.slug}/")
    assert "Set-Cookie" in answer.headers
    with client.session_transaction() as s:
        assert s["last_structure"] == world.a.slug


def test_the_served_app_leaves_its_lifelong_objects_out_of_the_collector(tmp_path):
    """gunicorn imports wsgi.py: the app built there is frozen out of the collector's scans,
    and young objects are collected in larger batches."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    probe = "import gc, wsgi; print(gc.get_freeze_count() > 10000, gc.get_threshold()[0])"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "20000"]
