"""Row scopes (permissions/scopes.py) started from a statement of the caller's."""

from __future__ import annotations

from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Team
from siae_app.permissions import scopes


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
