"""Two open « Mon espace » in each structure, with a personal link and a code printed by
``flask demo load`` (synthetic data: fixed links, so that the demo's instructions stay the
same from one load to the next):

- « documents »: a former salarié whose space is still open, with a signed attestation;
- « parcours »: a salarié in parcours, with a self-assessment the ETI opened for them.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Attestation, Employee, EvidenceFile, Grid, Membership, Role, Structure
from siae_app.models.evaluations import Assessment
from siae_app.models.personal_space import PersonalAccess
from siae_app.services.certification import evidence
from siae_app.services.evaluations import assessments
from siae_app.services.personal_space import access as space_access

DEMO_CODE = "246810"
KINDS = ("parcours", "documents")


def demo_secret(structure: Structure, kind: str = "documents") -> str:
    seed = f"parcours-siae demo espace {structure.slug}" + ("" if kind == "documents" else kind)
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _with_attestation(session: Session, structure: Structure, today: date) -> Employee | None:
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
    return None


def _in_parcours(session: Session, taken: set) -> Employee | None:
    """The salarié with a dossier de preuves (siae_app/demo/certification.py), else the first
    by name."""
    with_file = session.scalar(
        select(Employee).join(EvidenceFile, EvidenceFile.employee_id == Employee.id).limit(1)
    )
    if with_file is not None and with_file.exit_date is None and with_file.id not in taken:
        return with_file
    employees = session.scalars(
        select(Employee)
        .where(Employee.exit_date.is_(None), Employee.team_id.is_not(None))
        .order_by(Employee.last_name)
    )
    return next((e for e in employees if e.id not in taken), None)


def demo_space(session: Session, structure: Structure, kind: str) -> tuple[str, str] | None:
    """(the salarié's name, the link's secret) of one demo space of the structure, if open."""
    secret = demo_secret(structure, kind)
    existing = session.scalar(
        select(PersonalAccess).where(
            PersonalAccess.structure_id == structure.id,
            PersonalAccess.link_digest == space_access.link_digest(secret),
        )
    )
    if existing is None:
        return None
    employee = session.get(Employee, existing.employee_id)
    return f"{employee.first_name} {employee.last_name}", secret


def _open(session, structure, employee, cip, kind, today) -> None:
    access, _random = space_access.open_link(session, cip, employee, structure, today)
    access.link_digest = space_access.link_digest(demo_secret(structure, kind))
    space_access.set_code(session, access, employee, DEMO_CODE)


def _self_assessment(session: Session, employee: Employee, today: date) -> None:
    """A self-assessment waiting for the salarié's answers (opened by an ETI of the demo)."""
    waiting = session.scalar(
        select(Assessment.id).where(
            Assessment.employee_id == employee.id,
            Assessment.kind == "self",
            Assessment.locked_at.is_(None),
        )
    )
    grid = session.scalar(select(Grid).where(Grid.is_archived.is_(False)).order_by(Grid.name))
    eti = next((m for m in session.scalars(select(Membership)) if Role.ETI in m.role_set), None)
    if waiting is None and grid is not None and eti is not None:
        assessments.start(session, eti, employee, grid, kind="self", assessed_on=today)


def load_demo_personal_space(
    session: Session, structure: Structure, today: date | None = None
) -> None:
    """Open the two demo spaces of the structure (idempotent)."""
    today = today or date.today()
    cip = next((m for m in session.scalars(select(Membership)) if Role.CIP in m.role_set), None)
    if cip is None:
        return
    taken = set(session.scalars(select(PersonalAccess.employee_id)))
    if demo_space(session, structure, "documents") is None:
        holder = _with_attestation(session, structure, today)
        if holder is not None and holder.id not in taken:
            _open(session, structure, holder, cip, "documents", today)
            taken.add(holder.id)
    if demo_space(session, structure, "parcours") is None:
        employee = _in_parcours(session, taken)
        if employee is not None:
            _open(session, structure, employee, cip, "parcours", today)
            _self_assessment(session, employee, today)
            for evidence_file in session.scalars(
                select(EvidenceFile).where(EvidenceFile.employee_id == employee.id)
            ):
                evidence.offer(session, evidence_file, cip, True)
    session.flush()
