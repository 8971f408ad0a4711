"""Accueil: the structure's checklist (service defaults) and a salarié's items."""

from __future__ import annotations

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.services import onboarding as service


def make_checklist(employee):
    """The salarié's accueil items (created from the default template)."""
    with tenancy.tenant_scope(db.session, employee.structure_id):
        checklist = service.checklist(db.session, employee)
    db.session.commit()
    return checklist
