"""Structures (the tenants)."""

from __future__ import annotations

import factory

from siae_app.models import Structure
from tests.factories.base import BaseFactory


class StructureFactory(BaseFactory):
    class Meta:
        model = Structure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"Chantier d'insertion n°{n}")
    kind = "ACI"
    city = "Orléans"
