"""PASS IAE: number, dates, suspensions, prolongations and closure; its status is computed.

A suspension pushes the end date back by its length; a prolongation adds its months; a
closure by the structure ends it on its day. The rules follow les emplois de l'inclusion
(gip-inclusion/les-emplois, itou/approvals/) and the code du travail (R5132-1-8): see
docs/salaries.md, « Règles PASS IAE ».
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
    Structure,
)
from siae_app.models.employees import (
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_CHOICES,
    SENSITIVE_MOTIFS,
)
from siae_app.services import ServiceError, history
from siae_app.services.employees.contracts import check_motif_writer
from siae_app.services.employees.dates import add_months, fr_date

NUMBER = re.compile(r"\d{12}")
MAX_EXTENSION_MONTHS = 12  # per request, whatever the motif
WAITING_PERIOD_YEARS = 2  # délai de carence after a PASS ends
EXTENSION_OPENS_MONTHS_BEFORE_END = 12
EXTENSION_CLOSES_MONTHS_AFTER_END = 6
MAX_SUSPENSION_MONTHS = 36
MAX_SUSPENSION_DAYS_IN_THE_PAST = 365
# Prolongations for one motif, added up over the PASS (months), and what it means in all.
MAX_EXTENSION_MONTHS_BY_MOTIF = {
    "fin_formation": (24, "2 ans de prolongation"),
    "rqth": (36, "5 ans de parcours en tout"),
    "50_ans": (60, "7 ans de parcours en tout"),
    "difficultes_particulieres": (36, "5 ans de parcours en tout"),
}
SENIOR_AGE = 50
PARTICULAR_DIFFICULTIES_KINDS = ("AI", "ACI")
PASSERELLE_KINDS = ("ACI", "EI")


def _today() -> date:
    """Today, for the limits counted from it (a test may set another day)."""
    return date.today()


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
    return effective_end_from(
        pass_iae.end_date,
        _suspension_periods(pass_iae),
        [e.months for e in pass_iae.extensions],
        pass_iae.closed_on,
    )


def effective_end_from(
    end: date, suspensions: list[tuple[date, date]], months: list[int], closed_on: date | None
) -> date:
    """``effective_end`` from a PASS's columns (suspensions by start, extensions by decision)."""
    end = end_from(end, suspensions, months)
    return end if closed_on is None else min(end, closed_on)


def extension_window(end: date) -> tuple[date, date]:
    """The days a prolongation may be asked for: from 12 months before the end of the PASS
    to 6 months after it."""
    return (
        add_months(end, -EXTENSION_OPENS_MONTHS_BEFORE_END),
        add_months(end, EXTENSION_CLOSES_MONTHS_AFTER_END),
    )


def waiting_period_end(end: date) -> date:
    """The last day of the délai de carence that follows a PASS ending on ``end``."""
    return add_months(end, 12 * WAITING_PERIOD_YEARS)


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


def _check_waiting_period(employee: Employee, start: date, waived: bool) -> None:
    """A new PASS never overlaps a previous one, and starts after the 2 years that follow its
    end unless an authorized prescriber made a new diagnostic (les emplois: Approval
    WAITING_PERIOD_YEARS)."""
    for other in employee.passes:
        end = effective_end(other)
        if start <= end:
            raise ServiceError(
                f"Le PASS IAE n° {other.number} est valide jusqu'au {fr_date(end)} : "
                "un nouveau PASS ne peut commencer qu'après.",
                field="start_date",
            )
        if start <= waiting_period_end(end) and not waived:
            raise ServiceError(
                f"Délai de carence : le PASS IAE n° {other.number} a pris fin le {fr_date(end)}, "
                f"un nouveau PASS ne peut commencer avant le "
                f"{fr_date(waiting_period_end(end) + timedelta(days=1))}, sauf nouveau "
                "diagnostic d'éligibilité par un prescripteur habilité (cochez la case).",
                field="start_date",
            )


def create_pass(
    session: Session, membership: Membership | None, employee: Employee, values: dict
) -> PassIae:
    waived = bool(values.get("waiting_period_waived"))
    values = _pass_values(values)
    _check_waiting_period(employee, values["start_date"], waived)
    if waived:
        values["waiting_period_waived"] = True
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
    "pass_extension": ("motif", "months", "decided_on", "training_end"),
}


def _structure_kind(session: Session, pass_iae: PassIae) -> str:
    return session.get(Structure, pass_iae.structure_id).kind


def add_suspension(
    session: Session,
    membership: Membership | None,
    pass_iae: PassIae,
    values: dict,
    today: date | None = None,
) -> PassSuspension:
    """The current motifs only (les emplois, Suspension.Reason); at most 36 months each,
    starting at most 365 days ago (Suspension.MAX_DURATION_MONTHS,
    MAX_RETROACTIVITY_DURATION_DAYS)."""
    today = today or _today()
    motif = _chosen_motif(values, PASS_SUSPENSION_CHOICES, "suspension")
    if motif == "contrat_passerelle" and _structure_kind(session, pass_iae) not in PASSERELLE_KINDS:
        raise ServiceError(
            "Le passage en contrat passerelle ne concerne que les ACI et les EI.", field="motif"
        )
    start, end = values.get("start_date"), values.get("end_date")
    _check_dates(start, end, one_day_ok=True)
    earliest = today - timedelta(days=MAX_SUSPENSION_DAYS_IN_THE_PAST)
    if start < earliest:
        raise ServiceError(
            "Une suspension peut commencer au plus tôt 365 jours avant aujourd'hui "
            f"(le {fr_date(earliest)}).",
            field="start_date",
        )
    latest_end = add_months(start, MAX_SUSPENSION_MONTHS) - timedelta(days=1)
    if end > latest_end:
        raise ServiceError(
            f"Une suspension dure au plus 36 mois : elle finit au plus tard le "
            f"{fr_date(latest_end)}.",
            field="end_date",
        )
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


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _check_motif_limits(
    session: Session, pass_iae: PassIae, motif: str, months: int, decided: date, values: dict
) -> date | None:
    """The limits of each motif (R5132-1-8; les emplois, MAX_CUMULATIVE_DURATION). Returns the
    training end date for a training to finish."""
    limit, in_all = MAX_EXTENSION_MONTHS_BY_MOTIF[motif]
    label = PASS_EXTENSION_MOTIFS[motif]
    done = sum(e.months for e in pass_iae.extensions if e.motif == motif)
    if done + months > limit:
        left = max(limit - done, 0)
        raise ServiceError(
            f"« {label} » : les prolongations vont jusqu'à {in_all} ({limit} mois de "
            f"prolongation) ; il en reste {left} mois.",
            field="months",
        )
    training_end = None
    if motif == "fin_formation":
        training_end = values.get("training_end")
        if training_end is None:
            raise ServiceError("Indiquez la date de fin de la formation.", field="training_end")
        new_end = add_months(effective_end(pass_iae), months)
        if new_end > training_end:
            raise ServiceError(
                "La prolongation pour achever une formation s'arrête à la fin de la formation "
                f"(le {fr_date(training_end)}) : avec {months} mois, le PASS finirait le "
                f"{fr_date(new_end)}.",
                field="months",
            )
    elif motif == "50_ans":
        birth = pass_iae.employee.birth_date
        if birth is None:
            raise ServiceError(
                "Indiquez la date de naissance du salarié (fiche, identité) : la prolongation "
                "pour les 50 ans et plus se vérifie à la date de la demande.",
                field="motif",
            )
        if _age_on(birth, decided) < SENIOR_AGE:
            raise ServiceError(
                f"Le salarié a moins de 50 ans le {fr_date(decided)} (né le {fr_date(birth)}) : "
                "la prolongation pour les 50 ans et plus n'est pas possible.",
                field="motif",
            )
    elif (
        motif == "difficultes_particulieres"
        and _structure_kind(session, pass_iae) not in PARTICULAR_DIFFICULTIES_KINDS
    ):
        raise ServiceError(
            "La prolongation pour difficultés particulièrement importantes est réservée "
            "aux AI et aux ACI.",
            field="motif",
        )
    return training_end


def add_extension(
    session: Session, membership: Membership | None, pass_iae: PassIae, values: dict
) -> PassExtension:
    """Asked between 12 months before the end and 6 months after it, 12 months at most per
    request, within the limits of its motif."""
    motif = _chosen_motif(values, PASS_EXTENSION_MOTIFS, "prolongation")
    check_motif_writer(membership, None, motif, "motif")
    months, decided = values.get("months"), values.get("decided_on")
    if not months or not (1 <= int(months) <= MAX_EXTENSION_MONTHS):
        raise ServiceError("Une prolongation dure de 1 à 12 mois.", field="months")
    if decided is None:
        raise ServiceError("Indiquez la date de la décision.", field="decided_on")
    opens, closes = extension_window(effective_end(pass_iae))
    if not (opens <= decided <= closes):
        raise ServiceError(
            f"Une prolongation se demande du {fr_date(opens)} au {fr_date(closes)} : de 12 mois "
            "avant la fin du PASS à 6 mois après.",
            field="decided_on",
        )
    training_end = _check_motif_limits(session, pass_iae, motif, int(months), decided, values)
    extension = PassExtension(
        motif=motif, months=int(months), decided_on=decided, training_end=training_end
    )
    pass_iae.extensions.append(extension)
    sensitive = frozenset({"motif"}) if motif in SENSITIVE_MOTIFS else frozenset()
    return _recorded(session, membership, pass_iae, "pass_extension", extension, sensitive)


def close_pass(
    session: Session,
    membership: Membership | None,
    pass_iae: PassIae,
    values: dict,
    today: date | None = None,
) -> list:
    """The structure closes the PASS: its last day (not in the future, while it is valid) and
    why. Suspensions and prolongations after that day no longer count."""
    today = today or _today()
    if pass_iae.closed_on is not None:
        raise ServiceError(
            f"Ce PASS IAE est déjà clôturé depuis le {fr_date(pass_iae.closed_on)}.",
            field="closed_on",
        )
    closed_on = values.get("closed_on")
    reason = (values.get("closure_reason") or "").strip()
    if closed_on is None:
        raise ServiceError("Indiquez la date de clôture.", field="closed_on")
    end = effective_end(pass_iae)
    if closed_on > today:
        raise ServiceError("La date de clôture ne peut pas être dans le futur.", field="closed_on")
    if not (pass_iae.start_date <= closed_on <= end):
        raise ServiceError(
            "La date de clôture doit tomber pendant la validité du PASS "
            f"(du {fr_date(pass_iae.start_date)} au {fr_date(end)}).",
            field="closed_on",
        )
    if not reason:
        raise ServiceError("Indiquez le motif de la clôture.", field="closure_reason")
    changes = history.change(
        session,
        membership,
        "pass",
        pass_iae,
        {"closed_on": closed_on, "closure_reason": reason},
    )
    session.flush()
    return changes
