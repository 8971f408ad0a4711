"""The annexes financières of the structure's convention, and its two reporting settings.

Two annexes of the same kind may not overlap: each month's hours of a kind count against
one annex only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import FundingAnnex, Structure
from siae_app.models.funding import ANNEX_KINDS
from siae_app.services import ServiceError, checked_text, renewals
from siae_app.services.employees.dates import fr_date

MAX_ETP = Decimal(9999)
# The hours of one ETP: 1,820 in the IAE (35 h × 52); a setting within plausible bounds.
HOURS_PER_ETP_RANGE = (1000, 2300)
MIN_STAY_RANGE = (0, 24)


def all_annexes(session: Session) -> list[FundingAnnex]:
    return list(
        session.scalars(
            select(FundingAnnex).order_by(FundingAnnex.start_date.desc(), FundingAnnex.kind)
        )
    )


def default_kind(structure: Structure) -> str:
    """The annex a contract counts on unless it says otherwise: the structure's kind (a
    régie de quartier, conventionnée as a chantier, counts on ACI)."""
    return structure.kind if structure.kind in ANNEX_KINDS else "ACI"


def other_kinds(session: Session, structure: Structure) -> list[tuple[str, str]]:
    """The kinds of annex a contract may count on besides the structure's own: every kind,
    those the structure holds an annex of first."""
    own = default_kind(structure)
    held = [a.kind for a in all_annexes(session)]
    kinds = sorted((k for k in ANNEX_KINDS if k != own), key=lambda k: (k not in held, k))
    return [(kind, ANNEX_KINDS[kind]) for kind in kinds]


def _percent(value: Decimal | None, field: str) -> Decimal | None:
    """A target typed in percent (« 60 ») as the fraction stored (0.6)."""
    if value is None:
        return None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ServiceError("Un objectif est un pourcentage entre 0 et 100.", field=field)
    return (value / 100).quantize(Decimal("0.0001"))


def _check(session: Session, annex: FundingAnnex | None, values: dict) -> dict:
    kind, start, end = values.get("kind"), values.get("start_date"), values.get("end_date")
    if kind not in ANNEX_KINDS:
        raise ServiceError("Choisissez le type d'annexe.", field="kind")
    if start is None:
        raise ServiceError("La date de début est obligatoire.", field="start_date")
    if end is None:
        raise ServiceError("La date de fin est obligatoire.", field="end_date")
    if end <= start:
        raise ServiceError("La date de fin doit être après la date de début.", field="end_date")
    etp = values.get("etp_conventioned")
    if etp is None or not etp.is_finite() or etp <= 0 or etp > MAX_ETP:
        raise ServiceError(
            "Indiquez le nombre d'ETP conventionnés (par exemple 12,5).", field="etp_conventioned"
        )
    for other in all_annexes(session):
        if other is annex or other.kind != kind:
            continue
        if start <= other.end_date and other.start_date <= end:
            raise ServiceError(
                f"L'annexe {other.label} couvre déjà une partie de cette période (du "
                f"{fr_date(other.start_date)} au {fr_date(other.end_date)}).",
                field="start_date",
            )
    return {
        "kind": kind,
        "number": checked_text(values.get("number"), "number", max_len=40),
        "start_date": start,
        "end_date": end,
        "etp_conventioned": etp.quantize(Decimal("0.01")),
        "target_dynamic_rate": _percent(values.get("target_dynamic_rate"), "target_dynamic_rate"),
        "target_durable_rate": _percent(values.get("target_durable_rate"), "target_durable_rate"),
    }


def save_annex(
    session: Session, structure: Structure, annex: FundingAnnex | None, values: dict
) -> FundingAnnex:
    clean = _check(session, annex, values)
    if annex is None:
        annex = FundingAnnex(structure_id=structure.id, **clean)
        session.add(annex)
    else:
        for name, value in clean.items():
            setattr(annex, name, value)
    session.flush()
    return annex


def delete_annex(session: Session, annex: FundingAnnex) -> None:
    session.delete(annex)
    session.flush()


def save_settings(
    session: Session,
    structure: Structure,
    hours_per_etp: int | None,
    min_stay: int | None,
    renewal_notice: int | None,
) -> Structure:
    low, high = HOURS_PER_ETP_RANGE
    if hours_per_etp is None or not low <= hours_per_etp <= high:
        raise ServiceError(
            f"Un ETP compte entre {low} et {high} heures par an (1 820 dans l'IAE).",
            field="hours_per_etp",
        )
    low, high = MIN_STAY_RANGE
    if min_stay is None or not low <= min_stay <= high:
        raise ServiceError(
            f"La durée minimale est comprise entre {low} et {high} mois.",
            field="exit_min_stay_months",
        )
    renewals.save_notice(session, structure, renewal_notice)
    structure.hours_per_etp = hours_per_etp
    structure.exit_min_stay_months = min_stay
    session.flush()
    return structure


def in_force(annexes: list[FundingAnnex], day: date) -> list[FundingAnnex]:
    return [a for a in annexes if a.start_date <= day <= a.end_date]
