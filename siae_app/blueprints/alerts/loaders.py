"""Salariés from URL ids: 404 outside the tenant or the membership's scope."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.permissions import scopes


def employee(employee_id: uuid.UUID) -> Employee:
    return db.first_or_404(scopes.employees(g.membership).where(Employee.id == employee_id))
