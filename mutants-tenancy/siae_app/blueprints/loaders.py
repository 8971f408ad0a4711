"""The loaders of the objects several features reach by their URL id, one per kind; a kind
that one feature alone reaches has its loader in that feature's ``loaders.py``. Each answers
the object, or 404 outside the tenant or the membership's row scope."""

from __future__ import annotations

import uuid

from flask import g

from siae_app.extensions import db
from siae_app.models import Employee
from siae_app.permissions import scopes
from siae_app.services.employees import listing


def employee(employee_id: uuid.UUID, full: bool = False) -> Employee:
    """A salarié the membership sees (an ETI: only those of the teams they supervise);
    ``full``: with what the salarié's file shows loaded in the same queries."""
    stmt = scopes.employees(g.membership)
    if full:
        stmt = listing.with_file(stmt)
    return db.first_or_404(stmt.where(Employee.id == employee_id))
