"""The annual report's details: who was served (age, sex, education, criteria, residence,
prescribers), what the accompaniment did (entretiens, actions with partners and the time they
took, trainings and PMSMP, bilans, attestations) and the freins identified and lifted.
The PMSMP are the immersion conventions (services/immersions.py), by their start date.

Counts only: sensitive categories (the handicap criteria) appear as numbers, never with a
name. Each query is one aggregate over the structure (its tenant).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Action,
    Attendance,
    Attestation,
    AttestationStatus,
    Barrier,
    BarrierAxis,
    ChangeRecord,
    EligibilityCriterion,
    Employee,
    EmployeeCriterion,
    Immersion,
    Interview,
    Review,
    ReviewStatus,
)
from siae_app.models.diagnostic import BARRIER_STATUSES
from siae_app.models.employees import PRESCRIBER_KINDS, SEXES
from siae_app.services.employees.dates import add_months
from siae_app.services.funding import exits

AGE_BANDS = {"under_26": "Moins de 26 ans", "26_49": "26 à 49 ans", "50_plus": "50 ans et plus"}
# The levels of education in four groups, as reports usually show them.
EDUCATION_GROUPS = {
    "infra_cap": ("Sans diplôme ni niveau CAP", {"00", "01", "70", "60", "50"}),
    "cap_bep": ("CAP ou BEP", {"51"}),
    "bac": ("Niveau bac", {"40", "41"}),
    "higher": ("Études supérieures", {"30", "20", "10"}),
}
UNKNOWN = "unknown"
LIFTED = BARRIER_STATUSES["leve"]
UNKNOWN_LABEL = "Non renseigné"


def age_band(employee: Employee) -> str:
    """The age band at the start of the parcours (kept when the salarié is anonymised)."""
    if employee.birth_date is None and employee.age_band:
        return employee.age_band
    start = exits.stay_start(employee)
    if employee.birth_date is None or start is None:
        return UNKNOWN
    if start < add_months(employee.birth_date, 26 * 12):
        return "under_26"
    if start < add_months(employee.birth_date, 50 * 12):
        return "26_49"
    return "50_plus"


def _education_group(code: str | None) -> str:
    return next((key for key, (_, codes) in EDUCATION_GROUPS.items() if code in codes), UNKNOWN)


def _tally(keys, labels: dict[str, str]) -> list[dict]:
    """[{key, label, count}] in the order of ``labels``, then « Non renseigné »."""
    counts = Counter(keys)
    rows = [{"key": k, "label": label, "count": counts.get(k, 0)} for k, label in labels.items()]
    if counts.get(UNKNOWN):
        rows.append({"key": UNKNOWN, "label": UNKNOWN_LABEL, "count": counts[UNKNOWN]})
    return rows


def _criteria(session: Session, ids: list[uuid.UUID]) -> list[dict]:
    rows = session.execute(
        select(EligibilityCriterion.key, EligibilityCriterion.label, func.count())
        .join(EmployeeCriterion, EmployeeCriterion.criterion_id == EligibilityCriterion.id)
        .where(EmployeeCriterion.employee_id.in_(ids))
        .group_by(EligibilityCriterion.key, EligibilityCriterion.label)
        .order_by(EligibilityCriterion.label)
    )
    return [{"key": key, "label": label, "count": count} for key, label, count in rows]


def _in_year(column, start: date, end: date):
    return func.date(column).between(start, end)


def _accompaniment(session: Session, start: date, end: date) -> dict:
    interviews = session.scalar(
        select(func.count()).select_from(Interview).where(Interview.held_on.between(start, end))
    )
    done = select(func.count(), func.coalesce(func.sum(Action.minutes_spent), 0)).where(
        Action.status == "faite",
        func.coalesce(Action.due_date, func.date(Action.created_at)).between(start, end),
    )
    actions, minutes = session.execute(done).one()
    with_partner, _ = session.execute(done.where(Action.partner_id.is_not(None))).one()
    trainings = session.scalar(
        select(func.count()).where(
            Action.status == "faite",
            Action.nature == "formation",
            func.coalesce(Action.due_date, func.date(Action.created_at)).between(start, end),
        )
    )
    training_days = session.scalar(
        select(func.count()).where(
            Attendance.status == "absent",
            Attendance.motif == "formation",
            Attendance.day.between(start, end),
        )
    )
    # The immersions carried out: a renewal is its convention continued, not another one, so
    # the count leaves renewals out while the days count both (each by its own start date).
    pmsmp, pmsmp_days = session.execute(
        select(
            func.count(Immersion.id).filter(Immersion.renewal_of_id.is_(None)),
            func.coalesce(func.sum(Immersion.days), 0),
        ).where(Immersion.start_date.between(start, end))
    ).one()
    reviews = session.scalar(
        select(func.count())
        .select_from(Review)
        .where(Review.status == ReviewStatus.VALIDATED, Review.held_on.between(start, end))
    )
    attestations = session.scalar(
        select(func.count())
        .select_from(Attestation)
        .where(
            Attestation.status == AttestationStatus.SIGNED,
            Attestation.signed_on.between(start, end),
        )
    )
    return {
        "interviews": interviews,
        "actions_done": actions,
        "actions_with_partner": with_partner,
        "action_hours": round(minutes / 60, 1),
        "trainings": trainings,
        "training_days": training_days,
        "pmsmp": pmsmp,
        "pmsmp_days": int(pmsmp_days),
        "reviews_held": reviews,
        "attestations_signed": attestations,
    }


def lifted_by_axis(session: Session, start: date, end: date) -> list[tuple[str, int]]:
    """Freins whose status became « Levé » in the period, per axis (counts only)."""
    rows = session.execute(
        select(BarrierAxis.label, func.count(func.distinct(ChangeRecord.entity_id)))
        .join(Barrier, Barrier.id == ChangeRecord.entity_id)
        .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
        .where(
            ChangeRecord.entity == "frein",
            ChangeRecord.field == "statut",
            ChangeRecord.new_value == LIFTED,
            func.date(ChangeRecord.at).between(start, end),
        )
        .group_by(BarrierAxis.label)
        .order_by(BarrierAxis.label)
    )
    return [(label, count) for label, count in rows]


def _barriers(session: Session, start: date, end: date) -> list[dict]:
    identified = dict(
        session.execute(
            select(BarrierAxis.label, func.count())
            .join(Barrier, Barrier.axis_id == BarrierAxis.id)
            .where(_in_year(Barrier.created_at, start, end))
            .group_by(BarrierAxis.label)
        ).all()
    )
    lifted = dict(lifted_by_axis(session, start, end))
    return [
        {"axis": axis, "identified": identified.get(axis, 0), "lifted": lifted.get(axis, 0)}
        for axis in sorted(set(identified) | set(lifted))
    ]


def details(session: Session, served: list[Employee], start: date, end: date) -> dict:
    hours_worked = session.scalar(
        select(func.coalesce(func.sum(Attendance.hours_worked), 0)).where(
            Attendance.day.between(start, end)
        )
    )
    education_labels = {key: label for key, (label, _) in EDUCATION_GROUPS.items()}
    return {
        "age_bands": _tally((age_band(e) for e in served), AGE_BANDS),
        "sex": _tally((e.sex or UNKNOWN for e in served), SEXES),
        "education": _tally(
            (_education_group(e.education_level) for e in served), education_labels
        ),
        "prescribers": [
            row
            for row in _tally((e.prescriber_kind or UNKNOWN for e in served), PRESCRIBER_KINDS)
            if row["count"]
        ],
        "criteria": _criteria(session, [e.id for e in served]),
        "residence": {
            "qpv": sum(1 for e in served if e.resides_qpv),
            "zrr": sum(1 for e in served if e.resides_zrr),
        },
        "hours_worked": float(round(hours_worked or 0, 2)),
        "accompaniment": _accompaniment(session, start, end),
        "barriers": _barriers(session, start, end),
    }
