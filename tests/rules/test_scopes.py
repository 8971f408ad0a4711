"""Row scopes (permissions/scopes.py) started from a statement of the caller's."""

from __future__ import annotations

from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Barrier, DiagnosticNote, Team
from siae_app.permissions import scopes
from tests import factories as f


def test_the_teams_an_eti_supervises_from_a_statement_of_names(world, session):
    site = world.a
    with tenancy.tenant_scope(session, site.structure.id):
        names = session.scalars(
            scopes.supervised_teams(site.member("eti"), select(Team.name))
        ).all()
        assert names == [site.team.name]
        assert (
            session.scalars(scopes.supervised_teams(site.member("cip"), select(Team.name))).all()
            == []
        )


def test_freins_and_notes_from_a_statement_of_ids(world, session):
    site = world.a
    note = f.make_note(site.employee, site.member("cip"), "Suivi régulier.")
    session.commit()
    with tenancy.tenant_scope(session, site.structure.id):
        director = site.member("director")
        barrier_ids = session.scalars(scopes.barriers(director, select(Barrier.id))).all()
        note_ids = session.scalars(
            scopes.diagnostic_notes(director, select(DiagnosticNote.id))
        ).all()
    assert barrier_ids == [site.followup["barrier"].id] and note_ids == [note.id]
