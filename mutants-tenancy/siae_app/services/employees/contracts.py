"""CDDI contracts: dates, hours, avenants/renouvellements, cumulated duration.

A CDDI lasts 4 to 24 months cumulated; beyond 24 months a dérogation motif is required; an
ACI contract is at least 20 h a week. The cumulated duration is the union of the contracts'
effective periods (an early end shortens a contract).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from siae_app.models import Contract, Employee, Membership, Structure
from siae_app.models.employees import DEROGATION_MOTIFS, SENSITIVE_MOTIFS
from siae_app.models.funding import ANNEX_KINDS
from siae_app.permissions.policy import Perm, allowed
from siae_app.services import ServiceError, history
from siae_app.services.employees.dates import fr_date, months_between, months_label

CONTRACT_FIELDS = (
    "start_date",
    "end_date",
    "weekly_hours",
    "derogation_motif",
    "ended_early_on",
    "annex_kind",
)
SENSITIVE_MOTIF_MESSAGE = "Seule la CIP peut indiquer un motif qui révèle un handicap."
LIMIT_MONTHS = 24
ALERT_MONTHS = 22
ACI_MIN_HOURS = Decimal(20)
MIN_HOURS = Decimal(1)  # the refusal says « entre 1 et 48 heures »: half an hour is refused
MAX_HOURS = Decimal(48)
# 24 months of calendar, counted in days (a leap day included): beyond, a dérogation.
LIMIT_DAYS = 731
ALERT_DAYS = 670  # 22 months


def _periods(contracts) -> list[tuple[date, date]]:
    return sorted((c.start_date, c.effective_end) for c in contracts if c.effective_end)


def cumulated_days(contracts) -> int:
    """Days covered by at least one contract (overlaps counted once)."""
    total, cursor = 0, None
    for start, end in _periods(contracts):
        if cursor is not None and start <= cursor:
            start = cursor + timedelta(days=1)
        if end >= start:
            total += (end - start).days + 1
            cursor = end
        elif cursor is None or end > cursor:
            cursor = end
    return total


@dataclass
class Cumul:
    days: int
    months: float
    label: str
    over_limit: bool
    alert: bool


def cumul(contracts) -> Cumul:
    days = cumulated_days(contracts)
    months = months_between(days)
    return Cumul(days, months, months_label(months), days > LIMIT_DAYS, days >= ALERT_DAYS)


def current_contract(employee: Employee, today: date | None = None) -> Contract | None:
    """The contract running today, else the last one."""
    today = today or date.today()
    running = [c for c in employee.contracts if c.start_date <= today <= c.effective_end]
    if running:
        return running[-1]
    return employee.contracts[-1] if employee.contracts else None


def is_sensitive_motif(motif: str | None) -> bool:
    return motif in SENSITIVE_MOTIFS


def check_motif_writer(
    membership: Membership | None, kept: str | None, motif: str | None, field: str
) -> None:
    """Only the CIP sets, changes or takes away a motif that reveals a handicap (README,
    « Critères et motifs sensibles » : coordination reads them). ``kept`` is the motif already
    there (the contract's, the renewed contract's): keeping it is not writing it. A write
    without a person (``membership`` None: an import's rows, the rules' tests) is not one."""
    if (kept or None) == (motif or None):
        return
    if not (is_sensitive_motif(kept) or is_sensitive_motif(motif)):
        return
    if membership is not None and not allowed(membership, Perm.EMPLOYEES_SENSITIVE_WRITE):
        raise ServiceError(SENSITIVE_MOTIF_MESSAGE, field=field)


def _clean(values: dict) -> dict:
    out = {k: values.get(k) for k in CONTRACT_FIELDS}
    out["derogation_motif"] = out["derogation_motif"] or None
    out["annex_kind"] = out["annex_kind"] or None
    return out


def validate(session: Session, employee: Employee, contract: Contract | None, values: dict):
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        raise ServiceError("La date de début est obligatoire.", field="start_date")
    if end is None:
        raise ServiceError("La date de fin est obligatoire.", field="end_date")
    if end <= start:
        raise ServiceError("La date de fin doit être après la date de début.", field="end_date")
    early = values.get("ended_early_on")
    if early and not (start <= early <= end):
        raise ServiceError(
            "La fin anticipée doit tomber entre le début et la fin du contrat.",
            field="ended_early_on",
        )
    structure = session.get(Structure, employee.structure_id)
    _check_hours(values.get("weekly_hours"), structure.kind if structure else None)
    if values.get("annex_kind") not in (None, *ANNEX_KINDS):
        raise ServiceError("Type d'annexe financière inconnu.", field="annex_kind")
    motif = values.get("derogation_motif")
    if motif and motif not in DEROGATION_MOTIFS:
        raise ServiceError("Motif de dérogation inconnu.", field="derogation_motif")
    others = [c for c in employee.contracts if contract is None or c.id != contract.id]
    _check_overlap(others, start, early or end)
    _check_cumul(others, start, early or end, motif)


def _check_hours(hours, structure_kind: str | None) -> None:
    if hours is None:
        raise ServiceError("Indiquez la durée hebdomadaire.", field="weekly_hours")
    hours = Decimal(hours)
    if hours < MIN_HOURS or hours > MAX_HOURS:
        raise ServiceError(
            "La durée hebdomadaire doit être comprise entre 1 et 48 heures.", field="weekly_hours"
        )
    if structure_kind == "ACI" and hours < ACI_MIN_HOURS:
        raise ServiceError(
            "En ACI, un CDDI compte au moins 20 heures par semaine.", field="weekly_hours"
        )


def _check_overlap(others, start: date, end: date) -> None:
    for other in others:
        if start <= other.effective_end and other.start_date <= end:
            raise ServiceError(
                "Ces dates chevauchent un autre contrat du salarié (du "
                f"{fr_date(other.start_date)} au {fr_date(other.effective_end)}).",
                field="start_date",
            )


class _Period:
    def __init__(self, start, end):
        self.start_date, self.effective_end = start, end


def _check_cumul(others, start: date, end: date, motif: str | None) -> None:
    total = cumul([*others, _Period(start, end)])
    if total.over_limit and not motif:
        raise ServiceError(
            f"Le cumul des CDDI atteindrait {total.label} : au-delà de 24 mois, indiquez le "
            "motif de dérogation.",
            field="derogation_motif",
        )


def _sensitive(values: dict) -> frozenset[str]:
    return (
        frozenset({"derogation_motif"})
        if is_sensitive_motif(values.get("derogation_motif"))
        else frozenset()
    )


def create_contract(
    session: Session,
    membership: Membership | None,
    employee: Employee,
    values: dict,
    parent: Contract | None = None,
    motif_checked: bool = False,
) -> Contract:
    """A new contract, or the avenant of ``parent`` (which may carry its motif).
    ``motif_checked``: the motif was checked already (the direction's decision on a renewal
    carries the one the CIP proposed)."""
    values = _clean(values)
    if not motif_checked:
        kept = parent.derogation_motif if parent else None
        check_motif_writer(membership, kept, values["derogation_motif"], "derogation_motif")
    validate(session, employee, None, values)
    contract = Contract(kind="cddi", parent_id=parent.id if parent else None, **values)
    employee.contracts.append(contract)
    session.flush()
    values = {**values, "parent_id": contract.parent_id}
    history.created(session, membership, "contract", contract, values, sensitive=_sensitive(values))
    return contract


def update_contract(
    session: Session, membership: Membership, contract: Contract, values: dict
) -> list[history.Change]:
    values = _clean(values)
    old_motif = contract.derogation_motif
    check_motif_writer(membership, old_motif, values["derogation_motif"], "derogation_motif")
    validate(session, contract.employee, contract, values)
    sensitive = _sensitive(values) | _sensitive({"derogation_motif": old_motif})
    changes = history.change(session, membership, "contract", contract, values, sensitive=sensitive)
    session.flush()
    return changes


def end_early(
    session: Session, membership: Membership | None, contract: Contract, day: date
) -> None:
    """Used by a sortie before the contract's end (rupture anticipée)."""
    if contract.start_date <= day < contract.effective_end:
        history.change(session, membership, "contract", contract, {"ended_early_on": day})
