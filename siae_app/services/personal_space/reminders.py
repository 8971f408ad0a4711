"""E-mail reminders of « Mon espace »: a rendez-vous tomorrow, a self-assessment waiting.

Only with the salarié's recorded consent, to their own address, while their space opens, and
at most one message a day. A mail box is less private than the space: the mail says only that
something waits, and gives the space's front page. No name, no content, no structure name
(an insertion structure's name says too much), and not the personal link: only its digest is
kept, so the front page asks for the link and code, or opens with the phone's session.

``due`` reads in a fixed number of queries, however many salariés the structure follows.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Interview, Membership, Review, ReviewStatus, Structure
from siae_app.models.evaluations import Assessment, AssessmentItem
from siae_app.models.personal_space import PersonalAccess
from siae_app.services.mail import recipient_digest, send_mail
from siae_app.services.personal_space.access import closed_reason

log = logging.getLogger(__name__)

APPOINTMENT = "appointment"
SELF_ASSESSMENT = "self_assessment"

SUBJECT = "Un rappel de votre espace personnel"
# A self-assessment left unanswered is recalled on its first mornings only.
SELF_ASSESSMENT_DAYS = 3
# The rendez-vous of the space are with the CIP (content.appointments); said without
# « insertion » and without the middle dot a screen reader stumbles on.
WITH_CIP = "avec votre conseillère ou votre conseiller"


@dataclass(frozen=True)
class Reminder:
    access_id: uuid.UUID
    employee_id: uuid.UUID
    to: str
    appointment: bool
    self_assessment: bool
    # Whether the rendez-vous has a known CIP (an author still active), as the space shows it.
    with_cip: bool = True


@dataclass
class Outcome:
    """What ``send`` did: messages sent (and by reason), failed, not sent for want of SMTP."""

    sent: int = 0
    appointments: int = 0
    self_assessments: int = 0
    failed: int = 0
    no_server: int = 0


def _open_accesses(
    session: Session, structure: Structure, today: date
) -> dict[uuid.UUID, tuple[PersonalAccess, Employee]]:
    """Each salarié's current access (the newest not revoked) that may receive reminders."""
    rows = session.execute(
        select(PersonalAccess, Employee)
        .join(Employee, Employee.id == PersonalAccess.employee_id)
        .where(
            PersonalAccess.structure_id == structure.id,
            PersonalAccess.revoked_at.is_(None),
            Employee.email.is_not(None),
        )
        .order_by(PersonalAccess.created_at)
    ).all()
    current: dict[uuid.UUID, tuple[PersonalAccess, Employee]] = {}
    for access, employee in rows:
        current[employee.id] = (access, employee)  # the newest wins, as access.current
    return {
        employee_id: (access, employee)
        for employee_id, (access, employee) in current.items()
        if access.reminders_consented_at is not None
        and (employee.email or "").strip()
        and closed_reason(access, employee, structure, today) is None
    }


def _reminded_today(session: Session, ids: list[uuid.UUID], today: date) -> set[uuid.UUID]:
    """Salariés already reminded today, by any of their links (a new link the same day
    does not make a second message)."""
    return set(
        session.scalars(
            select(PersonalAccess.employee_id).where(
                PersonalAccess.employee_id.in_(ids), PersonalAccess.last_reminder_on == today
            )
        )
    )


def _known_cip(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active and membership.user is not None


def _appointments_on(session: Session, ids: list[uuid.UUID], day: date) -> dict[uuid.UUID, bool]:
    """Salariés with a rendez-vous on ``day`` (the rule of content.appointments, read for
    all of them at once): an entretien's next date, a bilan not validated (held or due)."""
    found: dict[uuid.UUID, bool] = {}
    author = selectinload(Interview.author).selectinload(Membership.user)
    for interview in session.scalars(
        select(Interview)
        .where(Interview.employee_id.in_(ids), Interview.next_on == day)
        .options(author)
    ):
        found[interview.employee_id] = found.get(interview.employee_id) or _known_cip(
            interview.author
        )
    reviews = session.scalars(
        select(Review)
        .where(
            Review.employee_id.in_(ids),
            Review.status != ReviewStatus.VALIDATED,
            func.coalesce(Review.held_on, Review.due_on) == day,
        )
        .options(selectinload(Review.author).selectinload(Membership.user))
    )
    for review in reviews:
        found[review.employee_id] = found.get(review.employee_id) or _known_cip(review.author)
    return found


def _self_assessments_waiting(
    session: Session, ids: list[uuid.UUID], today: date
) -> set[uuid.UUID]:
    """Salariés with a self-assessment open (not locked), dated today or in the last
    ``SELF_ASSESSMENT_DAYS`` days (a reminder, not a daily nagging), with a line still
    unanswered."""
    unanswered = exists().where(
        AssessmentItem.assessment_id == Assessment.id, AssessmentItem.self_answer.is_(None)
    )
    return set(
        session.scalars(
            select(Assessment.employee_id).where(
                Assessment.employee_id.in_(ids),
                Assessment.kind == "self",
                Assessment.locked_at.is_(None),
                Assessment.assessed_on <= today,
                Assessment.assessed_on > today - timedelta(days=SELF_ASSESSMENT_DAYS),
                unanswered,
            )
        )
    )


def due(session: Session, structure: Structure, today: date) -> list[Reminder]:
    """The reminders to send today in ``structure``, one per salarié (both reasons in one
    message), none for a salarié already reminded today."""
    accesses = _open_accesses(session, structure, today)
    if not accesses:
        return []
    reminded = _reminded_today(session, list(accesses), today)
    ids = [i for i in accesses if i not in reminded]
    if not ids:
        return []
    appointments = _appointments_on(session, ids, today + timedelta(days=1))
    waiting = _self_assessments_waiting(session, ids, today)
    out = []
    for employee_id in ids:
        if employee_id not in appointments and employee_id not in waiting:
            continue
        access, employee = accesses[employee_id]
        out.append(
            Reminder(
                access_id=access.id,
                employee_id=employee_id,
                to=employee.email.strip(),
                appointment=employee_id in appointments,
                self_assessment=employee_id in waiting,
                with_cip=appointments.get(employee_id, True),
            )
        )
    out.sort(key=lambda r: r.to)
    return out


def space_url() -> str:
    """The space's front page, with the public address when no request gives one (a job)."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("espace.home", _external=True)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for("espace.home", _external=True)


def body_of(reminder: Reminder, link: str) -> str:
    """The message in plain words: one idea per line, no name, no content."""
    lines = ["Bonjour,", ""]
    if reminder.appointment:
        lines.append(
            f"Vous avez un rendez-vous demain {WITH_CIP}."
            if reminder.with_cip
            else "Vous avez un rendez-vous demain."
        )
    if reminder.self_assessment:
        lines.append("Une auto-évaluation vous attend.")
    lines += [
        "",
        "Pour ouvrir votre espace personnel, cliquez sur ce lien :",
        link,
        "Si on vous demande votre code, tapez-le.",
        "Si on vous demande votre lien, prenez celui de votre feuille (le QR code).",
        "",
        "Vous ne voulez plus ces messages ?",
        f"Dites-le {WITH_CIP}.",
    ]
    return "\n".join(lines) + "\n"


def send(session: Session, structure: Structure, today: date) -> Outcome:
    """Send today's reminders of ``structure``; remember each one sent (not a failed one,
    which the next run tries again). Flushes."""
    outcome = Outcome()
    reminders = due(session, structure, today)
    if not reminders:
        return outcome
    link = space_url()
    for reminder in reminders:
        try:
            delivered = send_mail(reminder.to, SUBJECT, body_of(reminder, link), "rappel-espace")
        except (OSError, smtplib.SMTPException):
            # One refused address or a server down must not stop the others.
            log.warning(
                "Rappel de l'espace non envoyé au destinataire #%s.",
                recipient_digest(reminder.to),
                exc_info=True,
            )
            outcome.failed += 1
            continue
        if not delivered:
            outcome.no_server += 1
            continue
        session.get(PersonalAccess, reminder.access_id).last_reminder_on = today
        outcome.sent += 1
        outcome.appointments += reminder.appointment
        outcome.self_assessments += reminder.self_assessment
    session.flush()
    return outcome
