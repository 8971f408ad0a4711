"""A salarié's requests about their data (accès, rectification, limitation, opposition,
effacement) and the structure's answers, kept on their file.

An erasure request is answered by erasing now what may go (the accompaniment's texts, as the
purge would in two years) once the salarié has left; what the structure must keep is listed
with its legal basis and the date it ends (``kept``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app.models import Attestation, Employee, Membership, PrivacyRequest
from siae_app.models.privacy import REQUEST_KINDS
from siae_app.privacy.registry import RULES, Rule
from siae_app.services import ServiceError
from siae_app.services.employees.dates import add_months
from siae_app.services.privacy import purge, retention

MAX_TEXT = 4000


class Conflict(ServiceError):
    status = 409


@dataclass(frozen=True)
class Kept:
    """What must stay after an erasure, why, and until when."""

    label: str
    source: str
    until: date | None


def of_employee(session: Session, employee: Employee) -> list[PrivacyRequest]:
    return list(
        session.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.employee_id == employee.id)
            .order_by(PrivacyRequest.received_on.desc(), PrivacyRequest.created_at.desc())
        )
    )


def restrictions(session: Session, employee: Employee) -> list[PrivacyRequest]:
    """The limitations and oppositions the person asked, oldest first."""
    return list(
        session.scalars(
            select(PrivacyRequest)
            .where(
                PrivacyRequest.employee_id == employee.id,
                PrivacyRequest.kind.in_(("limitation", "opposition")),
            )
            .order_by(PrivacyRequest.received_on)
        )
    )


def _text(value: str | None, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"Écrivez {what}.", field=field)
    if len(value) > MAX_TEXT:
        raise ServiceError(f"{MAX_TEXT} caractères au plus.", field=field)
    return value


def record(
    session: Session,
    membership: Membership,
    employee: Employee,
    kind: str,
    received_on: date | None,
    details: str,
    today: date,
) -> PrivacyRequest:
    """Write down a request as it was received. Flushes."""
    if kind not in REQUEST_KINDS:
        raise ServiceError("Choisissez la nature de la demande.", field="kind")
    if received_on is None:
        raise ServiceError("Indiquez la date de la demande.", field="received_on")
    if received_on > today:
        raise ServiceError("La demande ne peut pas être datée de demain.", field="received_on")
    if employee.entry_date and received_on < add_months(employee.entry_date, -12):
        raise ServiceError(
            "Cette date est bien antérieure à l'entrée du salarié : vérifiez-la.",
            field="received_on",
        )
    row = PrivacyRequest(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        kind=kind,
        received_on=received_on,
        details=_text(details, "details", "ce que la personne demande"),
        recorded_by_id=membership.id,
    )
    session.add(row)
    session.flush()
    return row


# What the salarié can ask from their own space, and the words the team reads.
SPACE_KINDS = {
    "acces": "Le salarié demande une copie de ce que la structure détient sur lui.",
    "rectification": "Le salarié demande une correction.",
}


def record_from_space(
    session: Session, employee: Employee, kind: str, details: str | None, today: date
) -> PrivacyRequest:
    """A request the salarié made from their own space (a copy, a correction): it waits for
    the team's answer like any other. Flushes."""
    if kind not in SPACE_KINDS:
        raise ServiceError("Choisissez ce que vous demandez.", field="kind")
    typed = (details or "").strip()
    if kind == "rectification" and not typed:
        raise ServiceError("Écrivez ce qu'il faut corriger.", field="details")
    if len(typed) > MAX_TEXT:
        raise ServiceError(f"{MAX_TEXT} caractères au plus.", field="details")
    words = SPACE_KINDS[kind] + (f"\n« {typed} »" if typed else "")
    row = PrivacyRequest(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        kind=kind,
        received_on=today,
        details=words,
        from_space=True,
    )
    session.add(row)
    session.flush()
    return row


def kept(session: Session, employee: Employee, today: date) -> list[Kept]:
    """What the structure keeps after an erasure, with the texts and the end dates."""
    months = {r: d.months for r, d in retention.durations(session, employee.structure_id).items()}
    ends = purge.employment_ends(session, employee.structure_id, [employee.id])
    end = ends.get(employee.id)
    rules = RULES
    out = [
        Kept(
            "Identité, contrats, PASS IAE, présences et heures payées",
            rules[Rule.EMPLOYMENT].source,
            add_months(end, months[Rule.EMPLOYMENT]) if end else None,
        )
    ]
    last_signed = session.scalar(
        select(func.max(Attestation.signed_on)).where(
            Attestation.employee_id == employee.id,
            Attestation.signed_on.is_not(None),
            Attestation.expired_on.is_(None),
        )
    )
    if last_signed:
        out.append(
            Kept(
                "Attestations de compétences signées (vérifiables par leur titulaire)",
                rules[Rule.ATTESTATION].source,
                add_months(last_signed, months[Rule.ATTESTATION]),
            )
        )
    out.append(
        Kept(
            "Journal des accès au dossier (qui l'a consulté, jamais le contenu)",
            rules[Rule.ACCESS_LOG].source,
            add_months(today, months[Rule.ACCESS_LOG]),
        )
    )
    return out


def answer(
    session: Session,
    membership: Membership,
    row: PrivacyRequest,
    text: str,
    erase: bool,
    today: date,
) -> PrivacyRequest:
    """Answer once; for an erasure, erase the file's texts now when asked. Flushes."""
    if row.answered_on is not None:
        raise Conflict("Cette demande a déjà reçu sa réponse.", field="answer")
    text = _text(text, "answer", "la réponse faite à la personne")
    employee = session.get(Employee, row.employee_id)
    if erase:
        if row.kind != "effacement":
            raise ServiceError("Seule une demande d'effacement efface.", field="erase")
        if employee.exit_date is None or employee.exit_date > today:
            raise ServiceError(
                "Le salarié est encore en parcours : son accompagnement est une obligation de "
                "la structure. Ses textes pourront être effacés à sa sortie.",
                field="erase",
            )
        if employee.accompaniment_erased_on is None:
            due = [purge.Due(employee.id, employee.display_name, today)]
            # Statements limited to this salarié of the active structure (and, on
            # PostgreSQL, held there by row-level security); the history's values wait for
            # the night's purge, run by the tables' owner.
            purge.erase_accompaniment(
                session, employee.structure_id, due, today, False, history=False
            )
            session.expire_all()
        row = session.get(PrivacyRequest, row.id)
        row.erased_on = today
    row.answer = text
    row.answered_on = today
    row.answered_by_id = membership.id
    session.flush()
    return row
