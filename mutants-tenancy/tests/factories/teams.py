"""Teams, activities and supervisions."""

from __future__ import annotations

import factory

from siae_app.models import Activity, Team, TeamSupervisor
from tests.factories.base import BaseFactory


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    structure_id = None
    name = factory.Sequence(lambda n: f"Espaces verts {n}")


class TeamFactory(BaseFactory):
    class Meta:
        model = Team

    structure_id = None
    name = factory.Sequence(lambda n: f"Équipe {n}")
    location = "Parc municipal"


class TeamSupervisorFactory(BaseFactory):
    class Meta:
        model = TeamSupervisor

    structure_id = None
    team_id = None
    membership_id = None
