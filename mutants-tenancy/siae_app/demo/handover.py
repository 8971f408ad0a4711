"""The handover at the sortie, partly done for one salarié who left (the « remise
incomplète » alert shows it once the sortie is 15 days old)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Employee, ExitHandoverItem, Membership, Structure
from siae_app.services.employees import handover

# Handed so far: (document, days after the sortie); the others are still to hand.
DONE = (("certificat_travail", -1), ("attestation_employeur", 0), ("solde_tout_compte", 3))


def load_demo_handover(session: Session, structure: Structure, today: date | None = None):
    """Three of the six documents of a recent leaver (its tenant is active); loaded once."""
    today = today or date.today()
    if session.scalar(select(ExitHandoverItem.id).limit(1)) is not None:
        return
    leavers = session.scalars(
        select(Employee)
        .where(Employee.exit_date.is_not(None), Employee.referent_id.is_not(None))
        .order_by(Employee.exit_date.desc(), Employee.last_name)
    ).all()
    old_enough = [e for e in leavers if e.exit_date <= today - timedelta(days=15)]
    employee = (old_enough or leavers or [None])[0]
    if employee is None:
        return
    by = session.get(Membership, employee.referent_id)
    for item, days in DONE:
        day = min(employee.exit_date + timedelta(days=days), today)
        handover.tick(session, by, employee, item, day, today=today)
