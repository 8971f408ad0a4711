"""Observations."""

from __future__ import annotations

from datetime import date

import factory

from siae_app.models import Observation
from tests.factories.base import BaseFactory


class ObservationFactory(BaseFactory):
    class Meta:
        model = Observation

    structure_id = None
    employee_id = None
    author_id = None
    observed_on = factory.LazyFunction(date.today)
    text = "A respecté les consignes de sécurité."
    tone = "positive"
    sensitive = False
