"""PASS IAE: number, dates, suspensions and prolongations; its status is computed.

A suspension pushes the end date back by its length; a prolongation adds its months.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy.orm import Session

from siae_app.models import (
    Employee,
    Membership,
    PassExtension,
    PassIae,
    PassStatus,
    PassSuspension,
)
from siae_app.models.employees import (
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_MOTIFS,
    SENSITIVE_MOTIFS,
)
from siae_app.services import ServiceError, history
from siae_app.services.employees.dates import add_months, fr_date

NUMBER = re.compile(r"\d{12}")
MAX_EXTENSION_MONTHS = 12


def normalize_number(raw: str | None) -> str:
    return re.sub(r"[\s.-]", "", raw or "")


def check_number(raw: str | None) -> str:
    number = normalize_number(raw)
    if not NUMBER.fullmatch(number):
        raise ServiceError(
            "Le numéro de PASS IAE compte 12 chiffres (exemple : 999992012345).", field="number"
        )
    return number


def end_from(end: date, suspensions: list[tuple[date, date]], months: list[int]) -> date:
    """The end once suspensions (pushed back by their length) and prolongations are added."""
    for start, stop in suspensions:
        end += timedelta(days=(stop - start).days + 1)
    for m in months:
        end = add_months(end, m)
    return end


def status_from(end: date, suspensions: list[tuple[date, date]], today: date) -> PassStatus:
    if today > end:
        return PassStatus.EXPIRED
    if any(start <= today <= stop for start, stop in suspensions):
        return PassStatus.SUSPENDED
    return PassStatus.VALID


def _suspension_periods(pass_iae: PassIae) -> list[tuple[date, date]]:
    return [(s.start_date, s.end_date) for s in pass_iae.suspensions]


def effective_end(pass_iae: PassIae) -> date:
    return end_from(
        pass_iae.end_date,
        _suspension_periods(pass_iae),
        [e.months for e in pass_iae.extensions],
    )


def status(pass_iae: PassIae, today: date | None = None) -> PassStatus:
    today = today or date.today()
    return status_from(effective_end(pass_iae), _suspension_periods(pass_iae), today)


def _check_dates(start: date | None, end: date | None, one_day_ok: bool = False) -> None:
    if start is None:
        raise ServiceError("La date de début est obligatoire.", field="start_date")
    if end is None:
        raise ServiceError("La date de fin est obligatoire.", field="end_date")
    if end < start or (end == start and not one_day_ok):
        raise ServiceError("La date de fin doit être après la date de début.", field="end_date")


def _pass_values(values: dict) -> dict:
    number = check_number(values.get("number"))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end is None:
        end = add_months(start, 24) - timedelta(days=1)  # the usual 24 months
    _check_dates(start, end)
    return {"number": number, "start_date": start, "end_date": end}


def create_pass(
    session: Session, membership: Membership | None, employee: Employee, values: dict
) -> PassIae:
    values = _pass_values(values)
    pass_iae = PassIae(**values)
    employee.passes.append(pass_iae)
    session.flush()
    history.created(session, membership, "pass", pass_iae, values)
    return pass_iae


def update_pass(session: Session, membership: Membership, pass_iae: PassIae, values: dict):
    changes = history.change(session, membership, "pass", pass_iae, _pass_values(values))
    session.flush()
    return changes


def _recorded(
    session: Session,
    membership: Membership | None,
    pass_iae: PassIae,
    entity: str,
    row: PassSuspension | PassExtension,
    sensitive: frozenset[str] = frozenset(),
):
    """A suspension or an extension just added to the PASS: stored, then its fields written
    in the salarié's history."""
    session.flush()
    values = {name: getattr(row, name) for name in _HISTORY_FIELDS[entity]}
    history.created(
        session,
        membership,
        entity,
        row,
        values,
        sensitive=sensitive,
        employee_id=pass_iae.employee_id,
    )
    return row


def _chosen_motif(values: dict, motifs, what: str) -> str:
    motif = values.get("motif")
    if motif not in motifs:
        raise ServiceError(f"Choisissez le motif de la {what}.", field="motif")
    return motif


_HISTORY_FIELDS = {
    "pass_suspension": ("motif", "start_date", "end_date"),
    "pass_extension": ("motif", "months", "decided_on"),
}


def add_suspension(
    session: Session, membership: Membership | None, pass_iae: PassIae, values: dict
) -> PassSuspension:
    motif = _chosen_motif(values, PASS_SUSPENSION_MOTIFS, "suspension")
    start, end = values.get("start_date"), values.get("end_date")
    _check_dates(start, end, one_day_ok=True)
    if start < pass_iae.start_date or start > effective_end(pass_iae):
        raise ServiceError(
            "La suspension doit commencer pendant la validité du PASS "
            f"(du {fr_date(pass_iae.start_date)} au {fr_date(effective_end(pass_iae))}).",
            field="start_date",
        )
    for other in pass_iae.suspensions:
        if start <= other.end_date and other.start_date <= end:
            raise ServiceError(
                f"Une suspension couvre déjà la période du {fr_date(other.start_date)} au "
                f"{fr_date(other.end_date)}.",
                field="start_date",
            )
    suspension = PassSuspension(motif=motif, start_date=start, end_date=end)
    pass_iae.suspensions.append(suspension)
    return _recorded(session, membership, pass_iae, "pass_suspension", suspension)


def add_extension(
    session: Session, membership: Membership | None, pass_iae: PassIae, values: dict
) -> PassExtension:
    motif = _chosen_motif(values, PASS_EXTENSION_MOTIFS, "prolongation")
    months, decided = values.get("months"), values.get("decided_on")
    if not months or not (1 <= int(months) <= MAX_EXTENSION_MONTHS):
        raise ServiceError("Une prolongation dure de 1 à 12 mois.", field="months")
    if decided is None:
        raise ServiceError("Indiquez la date de la décision.", field="decided_on")
    extension = PassExtension(motif=motif, months=int(months), decided_on=decided)
    pass_iae.extensions.append(extension)
    sensitive = frozenset({"motif"}) if motif in SENSITIVE_MOTIFS else frozenset()
    return _recorded(session, membership, pass_iae, "pass_extension", extension, sensitive)
