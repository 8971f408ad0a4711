"""Renewals in progress: of the salariés whose contract ends within the notice, one has the
opinion of their encadrant (the CIP's proposal is awaited), one the CIP's proposal too (the
direction's decision is awaited); the others wait for their encadrant's opinion."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Employee, Membership, RenewalDecision, Structure, TeamSupervisor
from siae_app.services import ServiceError, renewals

OPINIONS = [
    {
        "work": "Tient son poste au désherbage et à la taille ; prend soin du matériel.",
        "attendance": "Présent·e et ponctuel·le depuis trois mois, absences toujours prévenues.",
        "progress": "Travaille seul·e sur une parcelle depuis janvier ; guide les nouveaux.",
        "verdict": "favorable",
    },
    {
        "work": "Travail soigné mais lent au démarrage ; a besoin de consignes écrites.",
        "attendance": "Deux retards en un mois, repris avec la CIP.",
        "progress": "Progrès nets sur l'utilisation de la débroussailleuse en sécurité.",
        "verdict": "reserve",
    },
]


def _supervisor(session: Session, employee: Employee) -> Membership | None:
    return session.scalar(
        select(Membership)
        .join(TeamSupervisor, TeamSupervisor.membership_id == Membership.id)
        .where(TeamSupervisor.team_id == employee.team_id)
        .limit(1)
    )


def load_demo_renewals(session: Session, structure: Structure, today: date | None = None):
    """Loaded once (its tenant is active); the last circuit of the list stays at the
    encadrant's opinion, for the ETI's home."""
    today = today or date.today()
    if session.scalar(select(RenewalDecision.id).limit(1)) is not None:
        return
    circuits = [
        c
        for c in renewals.open_circuits(session, select(Employee), structure, today)
        if c.employee.referent_id and c.employee.team_id and c.ends_on >= today
    ]
    for circuit, opinion in zip(circuits[:-1], OPINIONS, strict=False):
        eti = _supervisor(session, circuit.employee)
        if eti is None:
            continue
        row = renewals.give_opinion(session, eti, circuit, opinion, today)
        if opinion["verdict"] != "reserve":
            continue
        cip = session.get(Membership, circuit.employee.referent_id)
        circuit = renewals.Circuit(circuit.employee, circuit.contract, row, circuit.opens_on)
        renew = {
            "choice": "renew",
            "months": 6,
            "hours": circuit.contract.weekly_hours,
            "comment": "Renouveler six mois : la formation CACES commence en mars.",
        }
        try:
            with session.begin_nested():
                renewals.propose(session, cip, circuit, renew, today)
        except ServiceError:  # 24 months reached: the exit is prepared instead
            exit_ = {"choice": "exit", "comment": "24 mois atteints : préparer la sortie."}
            renewals.propose(session, cip, circuit, exit_, today)
