"""An immersion (PMSMP) renewed once: its objectives were not reached the first time, the
renewal's outcome is recorded, with an offer of work from the host."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Employee, Immersion, Membership, Partner, Structure
from siae_app.services import immersions

HOST = "Pépinière des Coteaux"


def load_demo_immersions(session: Session, structure: Structure, today: date | None = None):
    """One salarié in parcours for three months at least (its tenant is active); loaded once."""
    today = today or date.today()
    if session.scalar(select(Immersion.id).limit(1)) is not None:
        return
    employee = session.scalars(
        select(Employee)
        .where(
            Employee.exit_date.is_(None),
            Employee.referent_id.is_not(None),
            Employee.entry_date <= today - timedelta(days=90),
        )
        .order_by(Employee.entry_date, Employee.last_name)
    ).first()
    if employee is None:
        return
    cip = session.get(Membership, employee.referent_id)
    host = session.scalar(select(Partner).where(Partner.name == HOST))
    if host is None:
        host = Partner(name=HOST, kind="employeur", phone="01 23 45 67 99")
        session.add(host)
        session.flush()
    first_start = today - timedelta(days=70)
    first = immersions.create(
        session,
        cip,
        employee,
        {
            "partner": host,
            "object_kind": "confirmer",
            "objectives": "Confirmer le projet d'ouvrier·e horticole : rempotage, arrosage, "
            "accueil des clients au comptoir.",
            "start_date": first_start,
            "end_date": first_start + timedelta(days=13),
            "days": 8,
        },
    )
    immersions.record_outcome(
        session,
        cip,
        first,
        {
            "objectives_reached": "non",
            "host_observations": "Gestes techniques acquis ; l'accueil des clients reste à "
            "travailler, deux jours manqués pour raison de santé.",
            "job_offer": False,
        },
        today=first.end_date + timedelta(days=2),
    )
    renewal_start = first.end_date + timedelta(days=14)
    renewal = immersions.create(
        session,
        cip,
        employee,
        {
            "start_date": renewal_start,
            "end_date": renewal_start + timedelta(days=13),
            "days": 10,
        },
        renewal_of=first,
    )
    immersions.record_outcome(
        session,
        cip,
        renewal,
        {
            "objectives_reached": "oui",
            "host_observations": "À l'aise au comptoir comme en serre ; ponctuel·le.",
            "job_offer": True,
            "job_offer_details": "CDD saisonnier de 4 mois au printemps.",
        },
        today=min(today, renewal.end_date + timedelta(days=2)),
    )
