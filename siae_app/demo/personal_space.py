"""An open « Mon espace » in each structure: a salarié with documents to show (a signed
attestation when one is still within the space's time, else a salarié in parcours), a
personal link and a code printed by ``flask demo load`` (synthetic data: a fixed link, so
that the demo's instructions stay the same from one load to the next)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Attestation, Employee, Membership, Role, Structure
from siae_app.models.personal_space import PersonalAccess
from siae_app.services.personal_space import access as space_access

DEMO_CODE = "246810"


def demo_secret(structure: Structure) -> str:
    digest = hashlib.sha256(f"parcours-siae demo espace {structure.slug}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _holder(session: Session, structure: Structure, today: date) -> Employee | None:
    signed = session.scalars(
        select(Employee)
        .join(Attestation, Attestation.employee_id == Employee.id)
        .where(Attestation.signed_at.is_not(None), Attestation.revoked_at.is_(None))
        .order_by(Employee.exit_date.desc(), Employee.last_name)
    ).all()
    for employee in signed:
        end = space_access.ends_on(employee, structure)
        if employee.anonymised_on is None and (end is None or end >= today):
            return employee
    return session.scalar(
        select(Employee)
        .where(Employee.exit_date.is_(None), Employee.team_id.is_not(None))
        .order_by(Employee.last_name)
        .limit(1)
    )


def demo_space(session: Session, structure: Structure) -> tuple[str, str] | None:
    """(the salarié's name, the link's secret) of the structure's demo space, if open."""
    secret = demo_secret(structure)
    digest = space_access.link_digest(secret)
    existing = session.scalar(
        select(PersonalAccess).where(
            PersonalAccess.structure_id == structure.id, PersonalAccess.link_digest == digest
        )
    )
    if existing is None:
        return None
    employee = session.get(Employee, existing.employee_id)
    return f"{employee.first_name} {employee.last_name}", secret


def load_demo_personal_space(
    session: Session, structure: Structure, today: date | None = None
) -> None:
    """Open the space of one salarié (idempotent)."""
    today = today or date.today()
    if demo_space(session, structure) is not None:
        return
    employee = _holder(session, structure, today)
    cip = next((m for m in session.scalars(select(Membership)) if Role.CIP in m.role_set), None)
    if employee is None or cip is None:
        return
    access, _random = space_access.open_link(session, cip, employee, structure, today)
    access.link_digest = space_access.link_digest(demo_secret(structure))
    space_access.set_code(session, access, employee, DEMO_CODE)
    session.flush()
