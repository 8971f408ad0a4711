"""What an attestation says, compiled from the salarié's file at proposal.

The content is a plain dict (stored as JSON) so that signing can freeze it: later changes to
the file, the framework or the structure never rewrite a signed attestation. It carries what
the issue asks for and nothing about the person's social situation (no frein, no
diagnostic, no entretien, no eligibility criterion, no sensitive observation).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import AttestationStatus, Employee, Membership, Structure
from siae_app.models.actions import Action
from siae_app.models.attendance import Attendance
from siae_app.models.attestations import Attestation
from siae_app.models.evaluations import Assessment, AssessmentItem
from siae_app.models.frameworks import Block, Competency
from siae_app.models.immersions import Immersion
from siae_app.models.teams import Team
from siae_app.services import ServiceError, attendance_coverage

# Trainings and immersions (PMSMP) that were carried out appear on the attestation.
TRAINING_NATURES = ("formation", "pmsmp")
DONE_STATUS = "faite"

_INSERTION = re.compile(r"\s*\b(?:d['’]\s*|de l['’]\s*|l['’]\s*)?insertion\b", re.IGNORECASE)


def without_insertion(text: str | None) -> str:
    """The text with the word « insertion » (and its article) removed."""
    if not text:
        return text or ""
    cleaned = _INSERTION.sub("", text)
    return re.sub(r"\s{2,}", " ", cleaned).strip(" ,;-")


def latest_validated_assessment(session: Session, employee_id: uuid.UUID) -> Assessment | None:
    """The most recent locked (validated) assessment of the salarié, self-assessments aside."""
    return session.scalar(
        select(Assessment)
        .where(
            Assessment.employee_id == employee_id,
            Assessment.locked_at.is_not(None),
            Assessment.kind != "self",
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.locked_at.desc())
        .limit(1)
    )


def _name(membership: Membership | None) -> str | None:
    return membership.user.full_name if membership is not None else None


def _competency_line(item: AssessmentItem, scale_name: str | None) -> dict:
    competency = item.competency
    framework = competency.framework if competency else None
    block = competency.block if competency else None
    return {
        "label": item.label,
        "level": item.level_label,
        "scale": scale_name,
        "framework": {
            "title": framework.title if framework else (item.source_label or ""),
            "code": framework.code if framework else None,
            "acronym": framework.acronym if framework else None,
            "version": framework.version_number if framework else None,
            "vintage": framework.vintage if framework else None,
        },
        "block": (
            {"label": block.label, "kind": block.kind_label, "title": block.title}
            if block is not None
            else None
        ),
    }


def _competencies(session: Session, assessment: Assessment) -> list[dict]:
    items = session.scalars(
        select(AssessmentItem)
        .options(
            selectinload(AssessmentItem.competency).selectinload(Competency.framework),
            selectinload(AssessmentItem.competency)
            .selectinload(Competency.block)
            .selectinload(Block.framework),
        )
        .where(
            AssessmentItem.assessment_id == assessment.id,
            AssessmentItem.counts_as_acquired.is_(True),
        )
        .order_by(AssessmentItem.position)
    ).all()
    return [_competency_line(item, _scale_name(assessment)) for item in items]


def _scale_name(assessment: Assessment) -> str | None:
    """The scale's name as the structure chose it; the default scale's name (« Échelle par
    défaut ») is the application's word, not the reader's, so it is not printed."""
    scale = assessment.scale
    return scale.name if scale is not None and not scale.is_default else None


def _scale_levels(assessment: Assessment) -> list[str]:
    """The levels in order, lowest first, for the reader to place the level reached."""
    if assessment.scale is None:
        return []
    return [
        level.label
        for level in assessment.scale.levels
        if level.label.strip().casefold() != "non évalué"
    ]


def _assessment(assessment: Assessment) -> dict:
    validated = [
        name
        for name in (_name(assessment.eti_validated_by), _name(assessment.cip_validated_by))
        if name
    ]
    return {
        "kind": assessment.kind_label,
        "grid": assessment.grid_name,
        "assessed_on": assessment.assessed_on.isoformat(),
        "validated_on": assessment.locked_at.date().isoformat() if assessment.locked_at else None,
        "author": _name(assessment.author),
        "validated_by": validated,
        "method": "Observation en situation de travail et positionnement sur une grille",
        "scale": {"name": _scale_name(assessment), "levels": _scale_levels(assessment)},
    }


def _activities(session: Session, employee: Employee) -> list[dict]:
    """The team and activité support the salarié worked in (current team, then any team
    where attendance was recorded)."""
    team_ids = set(
        session.scalars(
            select(Attendance.team_id)
            .where(Attendance.employee_id == employee.id, Attendance.team_id.is_not(None))
            .distinct()
        )
    )
    if employee.team_id:
        team_ids.add(employee.team_id)
    if not team_ids:
        return []
    teams = session.scalars(
        select(Team).options(selectinload(Team.activity)).where(Team.id.in_(team_ids))
    ).all()
    return [
        {
            "team": team.name,
            "activity": team.activity.name if team.activity else None,
            "description": team.activity.description if team.activity else None,
            "location": team.location,
        }
        for team in sorted(teams, key=lambda t: t.name)
    ]


def _period(session: Session, employee: Employee) -> dict:
    """The contract stretches (dates, weekly hours) and what the attendance recorded says.

    A total of hours worked is stated only when the marks cover every working week under
    contract (``attendance.complete``); otherwise the document says from which date they run.
    """
    today = date.today()
    stretches = attendance_coverage.contract_stretches(employee)
    start = stretches[0].start if stretches else employee.entry_date
    end = stretches[-1].end if stretches else employee.exit_date
    if end is not None and end > today:
        end = None  # still at work: « depuis le … »
    # Today's marks may still be missing: the days up to yesterday are judged.
    judged = [(s.start, min(s.end, today - timedelta(days=1))) for s in stretches]
    covered = attendance_coverage.coverage(
        session, employee.id, [(a, b) for a, b in judged if a <= b]
    )
    return {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "weekly_hours": float(stretches[-1].weekly_hours) if stretches else None,
        "contracts": [
            {
                "start": s.start.isoformat(),
                "end": s.end.isoformat() if s.end <= today else None,
                "weekly_hours": float(s.weekly_hours),
            }
            for s in stretches
        ],
        "attendance": covered.as_dict(),
        "hours_worked": float(covered.hours) if covered.complete else None,
    }


def _trainings(session: Session, employee: Employee) -> list[dict]:
    actions = session.scalars(
        select(Action)
        .where(
            Action.employee_id == employee.id,
            Action.nature.in_(TRAINING_NATURES),
            Action.status == DONE_STATUS,
        )
        .order_by(Action.due_date)
    ).all()
    immersions = session.scalars(
        select(Immersion)
        .options(selectinload(Immersion.partner))
        .where(Immersion.employee_id == employee.id, Immersion.end_date < date.today())
        .order_by(Immersion.start_date)
    ).all()
    lines = [
        {
            "label": a.label,
            "kind": "PMSMP" if a.nature == "pmsmp" else "Formation",
            "on": a.due_date.isoformat() if a.due_date else None,
        }
        for a in actions
        # The PMSMP carried out are the conventions when there are; the actions of nature
        # PMSMP were the only record before them (kept for what was entered then).
        if not (immersions and a.nature == "pmsmp")
    ]
    lines += [
        {
            "label": f"Immersion chez {r.partner.name} ({r.days} j) : {r.object_label}",
            "kind": "PMSMP",
            "on": r.start_date.isoformat(),
        }
        for r in immersions
    ]
    return sorted(lines, key=lambda line: line["on"] or "9999")


def holder(employee: Employee) -> dict:
    """The name printed: first name and the name in use (usage name when there is one)."""
    last = (employee.usage_name or employee.last_name).upper()
    return {
        "first_name": employee.first_name,
        "last_name": last,
        "name": f"{employee.first_name} {last}",
    }


def structure_identity(structure: Structure, activities: list[dict]) -> dict:
    return {
        "name": structure.name,
        "kind": structure.kind_label,
        "siret": structure.siret,
        "address": structure.address,
        "city": structure.city,
        "activities": sorted({a["activity"] for a in activities if a.get("activity")}),
    }


def compose(session: Session, employee: Employee, assessment: Assessment) -> dict:
    structure = session.get(Structure, employee.structure_id)
    activities = _activities(session, employee)
    competencies = _competencies(session, assessment)
    titles = []
    for line in competencies:
        if line["framework"]["title"] not in titles:
            titles.append(line["framework"]["title"])
    return {
        "holder": holder(employee),
        "structure": structure_identity(structure, activities),
        "titles": titles,
        "competencies": competencies,
        "activities": activities,
        "period": _period(session, employee),
        "assessment": _assessment(assessment),
        "trainings": _trainings(session, employee),
        "composed_on": date.today().isoformat(),
    }


def propose(
    session: Session,
    employee: Employee,
    membership: Membership,
    *,
    omit_insertion_word: bool = False,
) -> Attestation:
    waiting = session.scalar(
        select(Attestation.id).where(
            Attestation.employee_id == employee.id,
            Attestation.status == AttestationStatus.PROPOSED,
        )
    )
    if waiting is not None:
        raise ServiceError(
            "Une attestation de ce salarié attend déjà la signature de la direction : "
            "mettez-la à jour plutôt que d'en proposer une autre."
        )
    assessment = latest_validated_assessment(session, employee.id)
    if assessment is None:
        raise ServiceError(
            "Aucune évaluation validée pour ce salarié : une attestation part de la dernière "
            "évaluation validée (encadrant et CIP)."
        )
    content = compose(session, employee, assessment)
    if not content["competencies"]:
        raise ServiceError(
            "La dernière évaluation validée ne compte aucune compétence acquise : il n'y a "
            "rien à attester pour l'instant."
        )
    attestation = Attestation(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        assessment_id=assessment.id,
        status=AttestationStatus.PROPOSED,
        content=content,
        omit_insertion_word=bool(omit_insertion_word),
        proposed_by_id=membership.id,
    )
    session.add(attestation)
    session.flush()
    return attestation


def refresh(session: Session, attestation: Attestation, employee: Employee) -> Attestation:
    """Compile the content again from the file (only while not signed)."""
    if attestation.status != AttestationStatus.PROPOSED:
        raise ServiceError("Une attestation signée ne change plus : son contenu est figé.")
    assessment = latest_validated_assessment(session, employee.id)
    if assessment is None:
        raise ServiceError("Aucune évaluation validée pour ce salarié.")
    attestation.assessment_id = assessment.id
    attestation.content = compose(session, employee, assessment)
    session.flush()
    return attestation
