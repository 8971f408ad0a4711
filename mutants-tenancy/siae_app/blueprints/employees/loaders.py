"""A salarié's records from URL ids: 404 unless they belong to the salarié of the URL (the
salarié itself: ``blueprints/loaders.py``)."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Contract, Employee, PassIae


def _of_employee(model, row_id: uuid.UUID, employee_obj: Employee):
    """A row of the salarié's file by its id; one of another salarié is not found."""
    found = db.session.scalar(
        select(model).where(model.id == row_id, model.employee_id == employee_obj.id)
    )
    if found is None:
        abort(404)
    return found


def contract(employee_obj: Employee, contract_id: uuid.UUID) -> Contract:
    return _of_employee(Contract, contract_id, employee_obj)


def pass_iae(employee_obj: Employee, pass_id: uuid.UUID) -> PassIae:
    return _of_employee(PassIae, pass_id, employee_obj)
