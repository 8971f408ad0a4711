"""Immersions (PMSMP): the salarié's conventions with a host, within code du travail D5135-3.

Article D5135-3 (read on Légifrance; docs/salaries.md, « Immersions (PMSMP) »):

1. a convention lasts at most one month « de date à date », whether the presence at the host
   is continuous or not: the end is at most the day before the same date a month later
   (01/03 → 31/03; 31/01 → 27/02 or 28/02, ``add_months`` keeping to the month's last day);
   the days of immersion are at most the calendar days between start and end;
2. when its objectives were not reached it may be renewed once, for the same object and the
   same objectives, for at most one month again: a renewal points to its convention, whose
   outcome is recorded as not reached (« Non » or « Partiellement »: the text asks that
   « le ou les objectifs » were not reached, and a partly reached objective was not); a
   convention is renewed once, and a renewal is never renewed;
3. with the same host, over twelve consecutive months, at most two conventions, with
   different objects or objectives, totalling at most sixty days « renouvellements compris ».
   We read it so: the renewal is not one of the two conventions (it is that convention
   continued, and the text counts it apart), but its days count in the sixty. The twelve
   months are counted on the start dates (the text counts conventions « conclues au cours
   d'une période de douze mois »; the start stands for the signature): every window of twelve
   consecutive months that holds the new convention's start is checked.

A salarié is in one immersion at a time: a convention (or a renewal) whose dates meet those of
another of the salarié's conventions, whatever the host, is refused (the first and last days
count: a convention ending on the 16th and another starting on the 16th overlap).

Every refusal names its field (ServiceError.field) in French. The service flushes, never
commits, and writes the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from siae_app.models import Employee, Immersion, Membership, Partner
from siae_app.models.immersions import IMMERSION_OBJECTS, OBJECTIVES_REACHED
from siae_app.services import ServiceError, history
from siae_app.services.employees.dates import add_months, fr_date

ENTITY = "immersion"
MAX_CONVENTIONS_PER_HOST = 2
MAX_DAYS_PER_HOST = 60
WINDOW_MONTHS = 12
NOT_REACHED = frozenset({"non", "partiellement"})
OUTCOME_FIELDS = ("objectives_reached", "host_observations", "job_offer", "job_offer_details")


def latest_end(start: date) -> date:
    """The last day a convention starting on ``start`` may end: one month « de date à date »."""
    return add_months(start, 1) - timedelta(days=1)


def window_end(start: date) -> date:
    """The last day of the twelve consecutive months that begin on ``start``."""
    return add_months(start, WINDOW_MONTHS) - timedelta(days=1)


def of_employee(session: Session, employee: Employee) -> list[Immersion]:
    """The salarié's conventions, the latest first."""
    stmt = (
        select(Immersion)
        .where(Immersion.employee_id == employee.id)
        .options(selectinload(Immersion.partner))  # the list names each host: not one by one
        .order_by(Immersion.start_date.desc(), Immersion.created_at.desc())
    )
    return list(session.scalars(stmt))


def _windows(rows: Iterable[Immersion], start: date) -> list[list[Immersion]]:
    """The conventions of each window of twelve months that holds ``start``, a window
    beginning at ``start`` or at the start of one of ``rows`` (enough: any set of
    conventions that fits in twelve months fits in the one opened by the earliest start)."""
    rows = list(rows)
    opens = {start} | {
        r.start_date for r in rows if r.start_date <= start <= window_end(r.start_date)
    }
    return [[r for r in rows if w <= r.start_date <= window_end(w)] for w in sorted(opens)]


def days_left(rows: Iterable[Immersion], start: date) -> int:
    """Days of immersion still possible with the host of ``rows`` for a convention starting
    on ``start``: sixty less the most any twelve-month window holding it already counts."""
    used = max((sum(r.days for r in window) for window in _windows(rows, start)), default=0)
    return max(MAX_DAYS_PER_HOST - used, 0)


def with_host(session: Session, employee: Employee, partner: Partner) -> list[Immersion]:
    return [r for r in of_employee(session, employee) if r.partner_id == partner.id]


def remaining_by_host(session: Session, employee: Employee, on: date) -> list[tuple[Partner, int]]:
    """« Jours restants avec <hôte> sur 12 mois »: each host the salarié has conventions with,
    and the days a convention starting ``on`` could still have there."""
    rows = of_employee(session, employee)
    hosts = {r.partner_id: r.partner for r in rows}
    return sorted(
        ((p, days_left([r for r in rows if r.partner_id == p.id], on)) for p in hosts.values()),
        key=lambda pair: pair[0].name,
    )


def _same_objectives(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_dates(values: dict) -> None:
    start, end, days = values["start_date"], values["end_date"], values["days"]
    if start is None:
        raise ServiceError("Indiquez la date de début de l'immersion.", field="start_date")
    if end is None:
        raise ServiceError("Indiquez la date de fin de l'immersion.", field="end_date")
    if end < start:
        raise ServiceError("La fin de l'immersion précède son début.", field="end_date")
    if end > latest_end(start):
        raise ServiceError(
            "Une convention d'immersion dure un mois au plus, de date à date : pour un début "
            f"le {fr_date(start)}, elle se termine au plus tard le {fr_date(latest_end(start))}.",
            field="end_date",
        )
    calendar_days = (end - start).days + 1
    if days is None or days < 1:
        raise ServiceError("Indiquez le nombre de jours d'immersion.", field="days")
    if days > calendar_days:
        raise ServiceError(
            f"Du {fr_date(start)} au {fr_date(end)}, il y a {calendar_days} jours au plus "
            "d'immersion.",
            field="days",
        )


def _check_renewal(session: Session, employee: Employee, original: Immersion, values) -> None:
    if original.employee_id != employee.id:
        raise ServiceError("Cette convention n'est pas celle de ce salarié.", field="start_date")
    if original.is_renewal:
        raise ServiceError(
            "Une convention ne se renouvelle qu'une fois : celle-ci est déjà un renouvellement.",
            field="start_date",
        )
    others = [r for r in of_employee(session, employee) if r.renewal_of_id == original.id]
    if others:
        raise ServiceError(
            "Cette convention a déjà été renouvelée : elle ne se renouvelle qu'une fois.",
            field="start_date",
        )
    if original.objectives_reached not in NOT_REACHED:
        raise ServiceError(
            "Une convention se renouvelle seulement si ses objectifs n'ont pas été atteints : "
            "enregistrez d'abord son bilan (objectifs non atteints).",
            field="start_date",
        )
    if values["start_date"] <= original.end_date:
        raise ServiceError(
            f"Le renouvellement commence après la fin de la convention, le "
            f"{fr_date(original.end_date)}.",
            field="start_date",
        )


def _check_overlap(
    session: Session, employee: Employee, values: dict, editing: Immersion | None = None
) -> None:
    start, end = values["start_date"], values["end_date"]
    stmt = select(Immersion).where(
        Immersion.employee_id == employee.id,
        Immersion.start_date <= end,
        Immersion.end_date >= start,
    )
    if editing is not None:
        stmt = stmt.where(Immersion.id != editing.id)
    other = session.scalars(
        stmt.options(selectinload(Immersion.partner)).order_by(Immersion.start_date).limit(1)
    ).first()
    if other is not None:
        kind = "un renouvellement" if other.is_renewal else "une convention"
        raise ServiceError(
            f"Ce salarié a déjà {kind} d'immersion avec {other.partner.name} du "
            f"{fr_date(other.start_date)} au {fr_date(other.end_date)} : deux immersions ne "
            "peuvent pas se chevaucher.",
            field="start_date",
        )


def _check_host(
    session: Session, employee: Employee, values: dict, renewal_of, editing=None
) -> None:
    partner: Partner = values["partner"]
    start = values["start_date"]
    rows = [r for r in with_host(session, employee, partner) if r is not editing]
    left = days_left(rows, start)
    if values["days"] > left:
        raise ServiceError(
            f"Avec {partner.name}, {MAX_DAYS_PER_HOST} jours d'immersion au plus sur douze mois "
            f"consécutifs, renouvellements compris : il en reste {left} pour une immersion "
            f"commençant le {fr_date(start)}.",
            field="days",
        )
    if renewal_of is not None:
        return  # a renewal is its convention continued: not one of the two
    for window in _windows(rows, start):
        conventions = [r for r in window if not r.is_renewal]
        if len(conventions) >= MAX_CONVENTIONS_PER_HOST:
            raise ServiceError(
                f"Avec {partner.name}, deux conventions au plus sur douze mois consécutifs : "
                "la limite est atteinte pour cette date de début.",
                field="partner_id",
            )
        for other in conventions:
            if other.object_kind == values["object_kind"] and _same_objectives(
                other.objectives, values["objectives"]
            ):
                raise ServiceError(
                    f"Avec {partner.name}, une deuxième convention sur douze mois doit avoir "
                    "un objet ou des objectifs différents de la première (sinon, c'est un "
                    "renouvellement).",
                    field="objectives",
                )


def create(
    session: Session,
    membership: Membership,
    employee: Employee,
    values: dict,
    *,
    renewal_of: Immersion | None = None,
) -> Immersion:
    """A new convention (``renewal_of``: the convention it renews, whose host, object and
    objectives it keeps)."""
    values = dict(values)
    if renewal_of is not None:
        values.update(
            partner=renewal_of.partner,
            object_kind=renewal_of.object_kind,
            objectives=renewal_of.objectives,
        )
    if not isinstance(values.get("partner"), Partner):
        raise ServiceError("Choisissez la structure d'accueil dans l'annuaire.", field="partner_id")
    if values.get("object_kind") not in IMMERSION_OBJECTS:
        raise ServiceError("Choisissez l'objet de l'immersion.", field="object_kind")
    values["objectives"] = (values.get("objectives") or "").strip()
    if not values["objectives"]:
        raise ServiceError("Indiquez les objectifs de l'immersion.", field="objectives")
    _check_dates(values)
    if renewal_of is not None:
        _check_renewal(session, employee, renewal_of, values)
    _check_overlap(session, employee, values)
    _check_host(session, employee, values, renewal_of)
    row = Immersion(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        partner_id=values["partner"].id,
        object_kind=values["object_kind"],
        objectives=values["objectives"],
        start_date=values["start_date"],
        end_date=values["end_date"],
        days=values["days"],
        renewal_of_id=renewal_of.id if renewal_of else None,
        recorded_by_id=membership.id,
    )
    session.add(row)
    session.flush()
    shown = {
        "host": values["partner"],
        "object_kind": row.object_kind,
        "objectives": row.objectives,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "days": row.days,
        "renewal_of": (f"Convention du {fr_date(renewal_of.start_date)}" if renewal_of else None),
    }
    history.created(session, membership, ENTITY, row, shown)
    return row


EDITABLE = ("objectives", "start_date", "end_date", "days")


def update(session: Session, membership: Membership, row: Immersion, values: dict) -> list:
    """Correct a convention: its objectives, dates and days (the host and the object make
    another convention: delete this one and record the other). Every rule is checked again
    as if the convention were new, the convention itself left out of the counts; a renewal
    keeps starting after its convention, a renewed convention keeps its objectives (the
    renewal's) and ends before its renewal."""
    employee = row.employee
    renewal = next((r for r in of_employee(session, employee) if r.renewal_of_id == row.id), None)
    typed = {
        "partner": row.partner,
        "object_kind": row.object_kind,
        "objectives": (values.get("objectives") or row.objectives).strip(),
        "start_date": values.get("start_date"),
        "end_date": values.get("end_date"),
        "days": values.get("days"),
    }
    if row.is_renewal or renewal is not None:
        typed["objectives"] = row.objectives  # shared by the convention and its renewal
    _check_dates(typed)
    if row.is_renewal and typed["start_date"] <= row.renewal_of.end_date:
        raise ServiceError(
            f"Le renouvellement commence après la fin de la convention, le "
            f"{fr_date(row.renewal_of.end_date)}.",
            field="start_date",
        )
    if renewal is not None and typed["end_date"] >= renewal.start_date:
        raise ServiceError(
            f"Cette convention a été renouvelée à partir du {fr_date(renewal.start_date)} : "
            "elle se termine avant.",
            field="end_date",
        )
    _check_overlap(session, employee, typed, editing=row)
    _check_host(session, employee, typed, row.renewal_of, editing=row)
    changes = history.change(
        session, membership, ENTITY, row, {name: typed[name] for name in EDITABLE}
    )
    session.flush()
    return changes


def delete(session: Session, membership: Membership, row: Immersion) -> None:
    """A convention recorded by mistake; one that was renewed goes after its renewal."""
    renewed = [r for r in of_employee(session, row.employee) if r.renewal_of_id == row.id]
    if renewed:
        raise ServiceError(
            "Cette convention a été renouvelée : supprimez d'abord son renouvellement."
        )
    history.event(
        session,
        membership,
        ENTITY,
        row,
        "deleted",
        f"Convention avec {row.partner.name} du {fr_date(row.start_date)} au "
        f"{fr_date(row.end_date)}",
    )
    session.delete(row)
    session.flush()


def record_outcome(
    session: Session,
    membership: Membership,
    row: Immersion,
    values: dict,
    today: date | None = None,
) -> Immersion:
    """The outcome of the immersion, after its end date (saving again corrects it)."""
    today = today or date.today()
    if today <= row.end_date:
        raise ServiceError(
            f"Le bilan de l'immersion s'enregistre après sa fin, le {fr_date(row.end_date)}.",
            field="objectives_reached",
        )
    if values.get("objectives_reached") not in OBJECTIVES_REACHED:
        raise ServiceError(
            "Indiquez si les objectifs ont été atteints.", field="objectives_reached"
        )
    offer = values.get("job_offer")
    if offer not in (True, False):
        raise ServiceError("Indiquez si une offre d'emploi a été faite.", field="job_offer")
    details = (values.get("job_offer_details") or "").strip() or None
    if offer and not details:
        raise ServiceError("Précisez l'offre d'emploi (poste, contrat).", field="job_offer_details")
    renewed = [r for r in of_employee(session, row.employee) if r.renewal_of_id == row.id]
    if renewed and values["objectives_reached"] not in NOT_REACHED:
        raise ServiceError(
            "Cette convention a été renouvelée parce que ses objectifs n'étaient pas atteints.",
            field="objectives_reached",
        )
    fields = {
        "objectives_reached": values["objectives_reached"],
        "host_observations": (values.get("host_observations") or "").strip() or None,
        "job_offer": offer,
        "job_offer_details": details if offer else None,
    }
    if history.change(session, membership, ENTITY, row, fields):
        row.outcome_by_id = membership.id
    session.flush()
    return row


def on_day(session: Session, employee_ids, day: date) -> dict:
    """{employee id: the convention they are in on ``day``}, with its host (one query): the
    roster says who may be at their host rather than on the chantier."""
    ids = list(employee_ids)
    if not ids:
        return {}
    stmt = (
        select(Immersion)
        .options(joinedload(Immersion.partner))
        .where(
            Immersion.employee_id.in_(ids),
            Immersion.start_date <= day,
            Immersion.end_date >= day,
        )
    )
    return {row.employee_id: row for row in session.scalars(stmt)}
