"""Entretiens individuels."""

from __future__ import annotations

from datetime import date

import factory

from siae_app.models import Interview
from tests.factories.base import BaseFactory


class InterviewFactory(BaseFactory):
    class Meta:
        model = Interview

    structure_id = None
    employee_id = None
    held_on = factory.LazyFunction(date.today)
    kind = "suivi"
    summary = "Point sur le parcours."
