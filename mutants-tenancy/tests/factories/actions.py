"""Pistes d'action."""

from __future__ import annotations

import factory

from siae_app.models import Action
from tests.factories.base import BaseFactory


class ActionFactory(BaseFactory):
    class Meta:
        model = Action

    structure_id = None
    employee_id = None
    label = factory.Sequence(lambda n: f"Rendez-vous partenaire {n}")
    nature = "orientation"
    status = "prevue"
