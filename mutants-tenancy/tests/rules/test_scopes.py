"""Row scopes (permissions/scopes.py) started from a statement of the caller's."""

from __future__ import annotations

from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Barrier, DiagnosticNote, Observation, Team
from siae_app.permissions import scopes
from tests import factories as f
from tests.factories.observations import ObservationFactory


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


def test_the_teams_a_membership_sees_from_a_statement_of_names(world, session):
    site = world.a
    with tenancy.tenant_scope(session, site.structure.id):
        eti = set(session.scalars(scopes.teams(site.member("eti"), select(Team.name))))
        cip = set(session.scalars(scopes.teams(site.member("cip"), select(Team.name))))
    assert eti == {site.team.name}  # an ETI: the teams they supervise
    assert cip == {site.team.name, site.other_team.name}  # the CIP: every team


def _observation(site, employee, author, text, sensitive=False):
    return ObservationFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=author.id,
        team_id=employee.team_id,
        text=text,
        sensitive=sensitive,
    )


def test_the_observations_each_role_reads_from_a_statement_of_texts(world, session):
    """Own team only for an ETI; a sensitive one for the CIP, coordination and its author."""
    site = world.a
    eti, cip = site.member("eti"), site.member("cip")
    _observation(site, site.employee, eti, "Nord ordinaire")
    _observation(site, site.employee, cip, "Nord sensible CIP", sensitive=True)
    _observation(site, site.employee, eti, "Nord sensible ETI", sensitive=True)
    _observation(site, site.other_employee, cip, "Sud ordinaire")
    session.commit()
    texts = select(Observation.text)

    def read(role):
        with tenancy.tenant_scope(session, site.structure.id):
            found = set(session.scalars(scopes.observations(site.member(role), texts)))
        return found - {"A respecté les consignes de sécurité."}  # the world's own

    assert read("eti") == {"Nord ordinaire", "Nord sensible ETI"}
    assert read("cip") == {
        "Nord ordinaire",
        "Nord sensible CIP",
        "Nord sensible ETI",
        "Sud ordinaire",
    }
    assert read("coordinator") == read("cip")
    assert read("director") == {"Nord ordinaire", "Sud ordinaire"}
