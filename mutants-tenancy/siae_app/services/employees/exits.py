"""The sortie: date, type in the official classification, sub-motif, comment.

A sortie before the end of the running contract ends it early (rupture anticipée).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from siae_app.models import Employee, Membership, PreviousStay
from siae_app.models.employees import EXIT_KINDS, EXIT_REASONS
from siae_app.services import ServiceError, history
from siae_app.services.employees import contracts, exit_followups, identity
from siae_app.services.funding.exits import stay_start

EXIT_FIELDS = ("exit_date", "exit_kind", "exit_reason", "exit_comment")
DYNAMIC_KINDS = ("emploi_durable", "emploi_transition", "sortie_positive")


def reason_label(kind: str | None, reason: str | None) -> str:
    return EXIT_REASONS.get(kind or "", {}).get(reason or "", "")


def validate(employee: Employee, values: dict) -> None:
    day, kind, reason = values.get("exit_date"), values.get("exit_kind"), values.get("exit_reason")
    if day is None:
        raise ServiceError("Indiquez la date de sortie.", field="exit_date")
    if employee.entry_date and day < employee.entry_date:
        raise ServiceError(
            "La date de sortie ne peut pas précéder la date d'entrée.", field="exit_date"
        )
    if kind not in EXIT_KINDS:
        raise ServiceError("Choisissez le type de sortie.", field="exit_kind")
    if reason not in EXIT_REASONS[kind]:
        raise ServiceError(
            f"Ce motif ne correspond pas au type « {EXIT_KINDS[kind]} ».", field="exit_reason"
        )


def record_exit(
    session: Session, membership: Membership, employee: Employee, values: dict, version=None
):
    values = {k: values.get(k) for k in EXIT_FIELDS}
    values["exit_comment"] = (values["exit_comment"] or "").strip() or None
    identity.check_version(session, employee, version, values)
    validate(employee, values)
    before = employee.exit_date
    changes = identity._save(session, membership, employee, values)
    exit_followups.follow_exit_date(session, membership, employee, before, values["exit_date"])
    for contract in employee.contracts:
        contracts.end_early(session, membership, contract, values["exit_date"])
    session.flush()
    return changes


def cancel_exit(session: Session, membership: Membership, employee: Employee, version=None):
    """The sortie was recorded by mistake: the salarié is back in parcours."""
    values = dict.fromkeys(EXIT_FIELDS)
    identity.check_version(session, employee, version, values)
    day = employee.exit_date
    changes = identity._save(session, membership, employee, values)
    exit_followups.follow_exit_date(session, membership, employee, day, None)
    for contract in employee.contracts:  # the early end the sortie had set is undone
        if day is not None and contract.ended_early_on == day:
            history.change(session, membership, "contract", contract, {"ended_early_on": None})
    session.flush()
    return changes


def record_return(
    session: Session, membership: Membership, employee: Employee, values: dict, version=None
):
    """The salarié left and comes back: the stay that ended is kept as it was (its sortie
    still counts in its year) and a new stay begins on ``return_date``, the new entry date.
    The new contract is added to the file as usual."""
    day = values.get("return_date")
    identity.check_version(session, employee, version, {"entry_date": day})
    if employee.exit_date is None:
        raise ServiceError(
            "Le salarié est en parcours : il n'y a pas de sortie après laquelle revenir.",
            field="return_date",
        )
    if day is None:
        raise ServiceError("Indiquez la date du retour en parcours.", field="return_date")
    if day <= employee.exit_date:
        raise ServiceError(
            "Le retour doit suivre la sortie du "
            f"{employee.exit_date.strftime('%d/%m/%Y')} : pour une sortie enregistrée par "
            "erreur, annulez-la.",
            field="return_date",
        )
    started = stay_start(employee) or employee.exit_date
    stay = PreviousStay(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        entry_date=started,
        exit_date=employee.exit_date,
        exit_kind=employee.exit_kind,
        exit_reason=employee.exit_reason,
        exit_comment=employee.exit_comment,
    )
    employee.previous_stays.append(stay)
    return identity._save(
        session, membership, employee, {"entry_date": day, **dict.fromkeys(EXIT_FIELDS)}
    )


def cancel_return(session: Session, membership: Membership, employee: Employee, version=None):
    """The return was recorded by mistake: the latest earlier stay becomes the current one
    again, with its sortie. Refused once something happened after the return (a new sortie)."""
    if not employee.previous_stays:
        raise ServiceError("Aucun retour en parcours à annuler.", field="version_id")
    if employee.exit_date is not None:
        raise ServiceError(
            "Une sortie est enregistrée depuis le retour : annulez-la d'abord.",
            field="version_id",
        )
    stay = employee.previous_stays[-1]
    values = {
        "entry_date": stay.entry_date,
        "exit_date": stay.exit_date,
        "exit_kind": stay.exit_kind,
        "exit_reason": stay.exit_reason,
        "exit_comment": stay.exit_comment,
    }
    identity.check_version(session, employee, version, values)
    employee.previous_stays.remove(stay)
    return identity._save(session, membership, employee, values)
