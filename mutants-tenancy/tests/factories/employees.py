"""Salariés en insertion, their PASS IAE and CDDI contracts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from siae_app.models import (
    AccessLog,
    Contract,
    Employee,
    PassExtension,
    PassIae,
    PassSuspension,
)
from tests.factories.base import BaseFactory


class EmployeeFactory(BaseFactory):
    class Meta:
        model = Employee

    structure_id = None
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    first_name = "Camille"
    birth_date = date(1985, 4, 12)
    phone = "06 12 34 56 78"
    entry_date = factory.LazyFunction(lambda: date.today() - timedelta(days=120))


class PassIaeFactory(BaseFactory):
    class Meta:
        model = PassIae

    structure_id = None
    employee_id = None
    number = factory.Sequence(lambda n: f"99999{n:07d}")
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=120))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=730))


class PassSuspensionFactory(BaseFactory):
    class Meta:
        model = PassSuspension

    structure_id = None
    pass_id = None
    motif = "maladie"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=20))


class PassExtensionFactory(BaseFactory):
    class Meta:
        model = PassExtension

    structure_id = None
    pass_id = None
    motif = "fin_formation"
    months = 6
    decided_on = factory.LazyFunction(date.today)


class ContractFactory(BaseFactory):
    class Meta:
        model = Contract

    structure_id = None
    employee_id = None
    kind = "cddi"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=120))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=364))
    weekly_hours = Decimal("26")


class AccessLogFactory(BaseFactory):
    class Meta:
        model = AccessLog

    structure_id = None
    membership_id = None
    employee_id = None
    part = "fiche"
    action = "view"


def make_employee(structure_id, team=None, referent=None, **fields) -> Employee:
    """A salarié with one PASS IAE and one current CDDI (the usual shape of a file)."""
    employee = EmployeeFactory(
        structure_id=structure_id,
        team_id=team.id if team else None,
        referent_id=referent.id if referent else None,
        **fields,
    )
    PassIaeFactory(structure_id=structure_id, employee_id=employee.id)
    ContractFactory(structure_id=structure_id, employee_id=employee.id)
    return employee
