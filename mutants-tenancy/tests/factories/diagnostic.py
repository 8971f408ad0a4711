"""Freins, atouts and notes of the diagnostic (axes come from the service's defaults)."""

from __future__ import annotations

import factory
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Barrier, BarrierAxis, DiagnosticNote, PathwayObjective
from siae_app.services import diagnostic as service
from tests.factories.base import BaseFactory


def axis(structure_id, key: str) -> BarrierAxis:
    """One of the structure's default axes (seeded on first use)."""
    with tenancy.tenant_scope(db.session, structure_id):
        service.axes(db.session)
        found = db.session.scalar(select(BarrierAxis).where(BarrierAxis.key == key))
    db.session.commit()
    return found


def make_barrier(employee, author, key="mobilite", comment=None, **fields) -> Barrier:
    chosen = axis(employee.structure_id, key)
    barrier = Barrier(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        axis_id=chosen.id,
        author_id=author.id if author else None,
        status=fields.pop("status", "identifie"),
        comment=comment,
        **fields,
    )
    db.session.add(barrier)
    db.session.commit()
    return barrier


def make_note(employee, author, body: str, confidential: bool = False) -> DiagnosticNote:
    note = DiagnosticNote(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        author_id=author.id,
        body=body,
        is_confidential=confidential,
    )
    db.session.add(note)
    db.session.commit()
    return note


def record_barrier(employee, author, key: str, comment: str, level=None) -> Barrier:
    """A frein recorded through the service (so its history is written too)."""
    chosen = axis(employee.structure_id, key)
    with tenancy.tenant_scope(db.session, employee.structure_id):
        barrier = service.save_barrier(
            db.session,
            None,
            employee=employee,
            membership=author,
            axis=chosen,
            status="identifie",
            level=level,
            comment=comment,
        )
    db.session.commit()
    return barrier


class ObjectiveFactory(BaseFactory):
    class Meta:
        model = PathwayObjective

    structure_id = None
    employee_id = None
    label = factory.Sequence(lambda n: f"Objectif {n}")
    origin = "cip"
    status = "en_cours"
