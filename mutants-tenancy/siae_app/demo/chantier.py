"""Six weeks of chantier life for the demo salariés: attendance marks and observations.

Without them the month grid, the observation feeds, the evidence of an evaluation and the
figures a bilan compiles would all be empty in the demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    ActivityFramework,
    Attendance,
    Competency,
    Employee,
    Observation,
    ObservationCompetency,
    Structure,
    Team,
    TeamSupervisor,
)

WEEKS = 6
MOTIFS = ["maladie", "justifiee", "conge", "formation", "rdv_partenaire"]
# (tone, text) — what an ETI notes on the chantier.
NOTES = [
    ("positive", "Arrivé à l'heure toute la semaine, prêt avant le départ du camion."),
    ("positive", "A pris l'initiative de ranger et nettoyer les outils en fin de journée."),
    ("positive", "Explique bien les consignes de tri à un nouveau collègue."),
    ("positive", "Travail soigné sur la tonte, bordures reprises sans qu'on le demande."),
    ("vigilance", "Oubli des gants et des lunettes en début de matinée, rappel fait."),
    ("vigilance", "Difficulté à suivre le plan de travail, à reprendre ensemble."),
    ("vigilance", "Tendance à s'isoler de l'équipe lors des pauses."),
    ("neutral", "A découvert le poste de tri, premières manipulations accompagnées."),
    ("neutral", "Demande à essayer la débroussailleuse, prévoir une séance."),
]


def _working_days(today: date) -> list[date]:
    start = today - timedelta(weeks=WEEKS)
    days = (start + timedelta(days=n) for n in range((today - start).days))
    return [d for d in days if d.weekday() < 5]


def _in_contract(employee: Employee, day: date) -> bool:
    return any(c.start_date <= day <= c.effective_end for c in employee.contracts)


def _mark(employee: Employee, day: date, daily: Decimal, rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.05:
        return {"status": "absent", "motif": rng.choice(MOTIFS), "hours_worked": Decimal("0")}
    if roll < 0.08:
        return {"status": "late", "late_minutes": 20, "hours_worked": daily - Decimal("0.5")}
    if roll < 0.10:
        return {"status": "left_early", "hours_worked": daily - Decimal("2")}
    return {"status": "present", "hours_worked": daily}


def _attendance(session, employee, days, supervisor_id, rng) -> None:
    contract = employee.contracts[-1] if employee.contracts else None
    daily = (contract.weekly_hours / 5).quantize(Decimal("0.01")) if contract else Decimal("5")
    for day in days:
        if not _in_contract(employee, day):
            continue
        session.add(
            Attendance(
                structure_id=employee.structure_id,
                employee_id=employee.id,
                team_id=employee.team_id,
                day=day,
                marked_by_id=supervisor_id,
                **_mark(employee, day, daily, rng),
            )
        )


def _observations(session, employee, days, supervisor_id, competencies, rng) -> None:
    worked = [d for d in days if _in_contract(employee, d)]
    for day in sorted(rng.sample(worked, min(4, len(worked)))):
        tone, text = rng.choice(NOTES)
        observation = Observation(
            structure_id=employee.structure_id,
            employee_id=employee.id,
            author_id=supervisor_id,
            team_id=employee.team_id,
            observed_on=day,
            text=text,
            tone=tone,
        )
        if competencies:
            observation.links.append(
                ObservationCompetency(
                    structure_id=employee.structure_id, competency_id=rng.choice(competencies)
                )
            )
        session.add(observation)


def _team_context(session: Session) -> tuple[dict, dict]:
    """Each team's supervising ETI and the competencies of its activity's frameworks."""
    supervisors = dict(
        session.execute(select(TeamSupervisor.team_id, TeamSupervisor.membership_id)).all()
    )
    rows = session.execute(
        select(Team.id, Competency.id)
        .join(ActivityFramework, ActivityFramework.activity_id == Team.activity_id)
        .join(Competency, Competency.framework_id == ActivityFramework.framework_id)
        .where(Competency.is_archived.is_(False))
    ).all()
    competencies: dict = {}
    for team_id, competency_id in rows:
        competencies.setdefault(team_id, []).append(competency_id)
    return supervisors, competencies


def load_demo_chantier(session: Session, structure: Structure, today: date | None = None) -> None:
    """Attendance and observations of ``structure``'s demo salariés (its tenant is active)."""
    if session.scalar(select(Attendance.id).limit(1)) is not None:
        return
    today = today or date.today()
    rng = random.Random(f"chantier-{structure.slug}")
    supervisors, competencies = _team_context(session)
    employees = session.scalars(
        select(Employee).where(Employee.team_id.is_not(None)).order_by(Employee.last_name)
    ).all()
    days = _working_days(today)
    for employee in employees:
        supervisor_id = supervisors.get(employee.team_id)
        _attendance(session, employee, days, supervisor_id, rng)
        comps = sorted(competencies.get(employee.team_id, []), key=str)
        _observations(session, employee, days, supervisor_id, comps, rng)
    session.flush()
