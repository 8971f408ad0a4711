"""Attendance marks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from siae_app.models import Attendance
from tests.factories.base import BaseFactory


class AttendanceFactory(BaseFactory):
    class Meta:
        model = Attendance

    structure_id = None
    employee_id = None
    team_id = None
    day = factory.LazyFunction(date.today)
    status = "present"
    hours_worked = Decimal("5.20")
