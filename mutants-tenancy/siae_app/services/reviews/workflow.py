"""Bilans: open (compile the draft), write each part, move brouillon → prêt → tenu → validé,
reopen with a recorded motif. A validated bilan is locked. Flush, never commit."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    Employee,
    Membership,
    Observation,
    ReviewStatus,
)
from siae_app.models.base import utcnow
from siae_app.models.employees import PASS_EXTENSION_MOTIFS
from siae_app.models.reviews import (
    FOLLOWUP_OUTCOMES,
    NEED_SCORES,
    PROLONGATION_NEEDS,
    RENEWAL_CHOICES,
    REVIEW_KINDS,
    SENSITIVE_NEEDS,
    Review,
    ReviewDisclosure,
    ReviewFollowup,
    ReviewHighlight,
    ReviewParticipant,
    ReviewReopening,
)
from siae_app.services import ServiceError, history
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import documents, schedule
from siae_app.services.versions import flush_or_stale

LOCKED = "Ce bilan est validé : rouvrez-le (avec un motif) pour le modifier."
ENTITY = "bilan"
MAX_PARTICIPANTS = 12


def _unlocked(review: Review, field: str | None = None) -> None:
    if review.is_locked:
        raise ServiceError(LOCKED, field=field)


# ------------------------------------------------------------------ opening


def open_review(
    session: Session,
    *,
    employee: Employee,
    membership: Membership,
    kind: str,
    due_on: date | None,
    today: date,
) -> Review:
    """A new draft with the period since the previous bilan compiled and frozen."""
    if kind not in REVIEW_KINDS:
        raise ServiceError("Choisissez le type de bilan.", field="kind")
    pending = session.scalar(
        select(Review.id).where(
            Review.employee_id == employee.id,
            Review.kind == kind,
            Review.status != ReviewStatus.VALIDATED,
        )
    )
    if pending is not None:
        raise ServiceError(
            f"Un {REVIEW_KINDS[kind].lower()} est déjà en cours pour ce salarié : "
            "terminez-le avant d'en ouvrir un autre.",
            field="kind",
        )
    if due_on is None:
        due_on = _expected_date(session, employee, kind)
    previous = compiling.previous_review(session, employee.id)
    start = compiling.period_start(employee, previous, today)
    review = Review(
        employee_id=employee.id,
        kind=kind,
        status=ReviewStatus.DRAFT,
        due_on=due_on,
        period_start=start,
        period_end=today,
        author_id=membership.id,
        compiled=compiling.compile_period(session, employee, start, today, previous),
    )
    review.followups = compiling.followups(session, employee.id, start)
    if kind == "tripartite":
        review.participants = [
            ReviewParticipant(position=0, name=employee.display_name, role="Salarié")
        ]
    session.add(review)
    session.flush()
    history.event(session, membership, ENTITY, review, "ouverture", review.kind)
    return review


def _expected_date(session: Session, employee: Employee, kind: str) -> date | None:
    """Opened without a date: the date of the expected bilan of that type it answers."""
    opened = [
        (k, day)
        for k, day in session.execute(
            select(
                Review.kind, func.coalesce(Review.due_on, Review.held_on, Review.period_end)
            ).where(Review.employee_id == employee.id)
        )
    ]
    items = schedule.expected(employee, list(employee.contracts), list(employee.passes))
    found = schedule.first_unanswered(items, kind, opened)
    return found.due_on if found else None


def recompile(session: Session, review: Review, *, today: date) -> Review:
    """While a draft: compile the period again up to today (new marks, new evaluations)."""
    if review.status != ReviewStatus.DRAFT:
        raise ServiceError("Seul un brouillon peut être recompilé.")
    employee = session.get(Employee, review.employee_id)
    previous = compiling.previous_review(session, review.employee_id, before=review)
    start = review.period_start or compiling.period_start(employee, previous, today)
    review.period_end = today
    review.compiled = compiling.compile_period(session, employee, start, today, previous)
    flush_or_stale(session)
    return review


# ------------------------------------------------------------------ parts


# ---- texts written by several people: a save never overwrites what someone else wrote
# after the page was shown (the page sends the fingerprint of each text it showed).


def fingerprint(text: str | None) -> str:
    """A short fingerprint of a text as a page showed it (compared on save, never shown)."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


CHANGED_MEANWHILE = (
    "Quelqu'un a modifié ce texte pendant que vous écriviez ; sa version : « {} ». "
    "Votre texte est gardé ci-dessous : reprenez-le puis enregistrez à nouveau."
)
QUOTED = 400


def changed_meanwhile(errors) -> bool:
    """Is one of a field's ``errors`` the refusal of a text changed meanwhile?"""
    start = CHANGED_MEANWHILE.split(";")[0]
    return any(e.startswith(start) for e in errors)


def _unchanged_since_shown(review: Review, shown: dict[str, str | None], typed: dict) -> None:
    """Refuse a save that would replace a text changed since the page showed it (a form that
    sends no fingerprint, such as a script, is not checked)."""
    for name, seen in shown.items():
        stored = getattr(review, name)
        typed_text = (typed.get(name) or "").strip() or None
        if seen and seen != fingerprint(stored) and typed_text != stored:
            quoted = stored if len(stored or "") <= QUOTED else f"{stored[:QUOTED]}…"
            raise ServiceError(CHANGED_MEANWHILE.format(quoted or "vide"), field=name)


def save_eti_part(
    session: Session, review: Review, *, text: str | None, shown: dict | None = None
) -> Review:
    _unlocked(review, "eti_part")
    _unchanged_since_shown(review, shown or {}, {"eti_part": text})
    review.eti_part = (text or "").strip() or None
    flush_or_stale(session)
    return review


@dataclass
class Synthesis:
    """The CIP's part: synthesis, the salarié's words, decisions, next appointment."""

    cip_synthesis: str | None = None
    employee_words: str | None = None
    held_on: date | None = None
    renewal: str | None = None
    renewal_months: int | None = None
    prolongation_requested: bool = False
    orientation: str | None = None
    exit_planned: bool = False
    next_appointment_on: date | None = None


def _check_synthesis(values: Synthesis) -> None:
    if values.renewal and values.renewal not in RENEWAL_CHOICES:
        raise ServiceError("Choisissez une décision de renouvellement.", field="renewal")
    if values.renewal == "renew" and not values.renewal_months:
        raise ServiceError(
            "Indiquez la durée proposée pour le renouvellement (en mois).", field="renewal_months"
        )
    if values.renewal_months is not None and not 1 <= values.renewal_months <= 24:
        raise ServiceError("Une durée de 1 à 24 mois.", field="renewal_months")
    if (
        values.held_on
        and values.next_appointment_on
        and values.next_appointment_on <= values.held_on
    ):
        raise ServiceError(
            "Le prochain rendez-vous doit être après la date du bilan.",
            field="next_appointment_on",
        )


def save_synthesis(
    session: Session, review: Review, values: Synthesis, shown: dict | None = None
) -> Review:
    _unlocked(review, "cip_synthesis")
    _check_synthesis(values)
    _unchanged_since_shown(review, shown or {}, vars(values))
    for name, value in vars(values).items():
        if isinstance(value, str):
            value = value.strip() or None
        setattr(review, name, value)
    if review.renewal != "renew":
        review.renewal_months = None
    flush_or_stale(session)
    return review


@dataclass
class Prolongation:
    """The funder's template: needs scored, actions done and planned, duration, motif."""

    needs: dict[str, str]
    actions_done: str | None = None
    actions_planned: str | None = None
    requested_months: int | None = None
    prolongation_motif: str | None = None


def save_prolongation(session: Session, review: Review, values: Prolongation) -> Review:
    _unlocked(review, "actions_done")
    if review.kind != "prolongation":
        raise ServiceError("Ce formulaire est celui du bilan de prolongation.")
    bad = [
        k for k, v in values.needs.items() if k not in PROLONGATION_NEEDS or v not in NEED_SCORES
    ]
    if bad:
        raise ServiceError("Notez chaque besoin avec ++, +, − ou −−.", field="needs")
    if values.requested_months is not None and not 1 <= values.requested_months <= 12:
        raise ServiceError("Une prolongation dure de 1 à 12 mois.", field="requested_months")
    motif = values.prolongation_motif or None
    if motif is not None and motif not in PASS_EXTENSION_MOTIFS:
        raise ServiceError("Choisissez le motif de la prolongation.", field="prolongation_motif")
    review.needs = dict(values.needs)
    review.actions_done = (values.actions_done or "").strip() or None
    review.actions_planned = (values.actions_planned or "").strip() or None
    review.requested_months = values.requested_months
    review.prolongation_motif = motif
    flush_or_stale(session)
    return review


def _same_name(a: str, b: str) -> bool:
    """The same person typed twice: case, accents and spacing aside (« hugues  RENAUD »)."""

    def bare(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())

    return bare(a) == bare(b)


def add_participant(
    session: Session, review: Review, *, name: str, organisation: str | None, role: str | None
) -> ReviewParticipant:
    _unlocked(review, "name")
    name = (name or "").strip()
    if not name:
        raise ServiceError("Indiquez le nom de la personne.", field="name")
    if len(review.participants) >= MAX_PARTICIPANTS:
        raise ServiceError(f"{MAX_PARTICIPANTS} participants au plus.", field="name")
    twin = next((p for p in review.participants if _same_name(p.name, name)), None)
    if twin is not None:
        raise ServiceError(
            f"« {twin.name} » participe déjà à ce bilan : une personne n'y figure qu'une fois.",
            field="name",
        )
    participant = ReviewParticipant(
        position=len(review.participants),
        name=name,
        organisation=(organisation or "").strip() or None,
        role=(role or "").strip() or None,
    )
    review.participants.append(participant)
    session.flush()
    return participant


def remove_participant(session: Session, review: Review, participant_id: uuid.UUID | None) -> None:
    _unlocked(review)
    found = next((p for p in review.participants if p.id == participant_id), None)
    if found is None:
        raise ServiceError("Ce participant n'est plus dans la liste.")
    review.participants.remove(found)
    session.flush()


def set_highlights(
    session: Session, review: Review, chosen: set[uuid.UUID], candidates: list[Observation]
) -> None:
    """The highlights are exactly the chosen observations among the candidates the person
    may pick; highlights they cannot see are kept."""
    _unlocked(review, "observations")
    allowed = {o.id for o in candidates}
    if chosen - allowed:
        raise ServiceError("Choisissez parmi les observations de la période.", field="observations")
    kept = [h for h in review.highlights if h.observation_id not in allowed]
    picked = [h for h in review.highlights if h.observation_id in allowed & chosen]
    have = {h.observation_id for h in picked}
    new = [ReviewHighlight(observation_id=oid) for oid in sorted(chosen - have)]
    review.highlights = kept + picked + new
    session.flush()


def set_outcome(
    session: Session, review: Review, followup_id: uuid.UUID | None, outcome: str | None
) -> ReviewFollowup:
    _unlocked(review)
    found = next((f for f in review.followups if f.id == followup_id), None)
    if found is None:
        raise ServiceError("Cet élément n'est plus dans le bilan.")
    if outcome not in FOLLOWUP_OUTCOMES.get(found.kind, {}):
        raise ServiceError("Choisissez le résultat.")
    found.outcome = outcome
    session.flush()
    return found


# ------------------------------------------------------------------ disclosures


def _disclosable(session: Session, review: Review, item: str) -> dict:
    """``barrier:<id>``, ``note:<id>`` or ``need:<key>`` → the disclosure's columns, if the
    item is one of the salarié's sensitive items."""
    kind, _, value = (item or "").partition(":")
    if kind == "need" and value in SENSITIVE_NEEDS:
        return {"need_key": value}
    if kind == "motif" and value == "prolongation_motif":
        return {"need_key": value}
    try:
        item_id = uuid.UUID(value)
    except ValueError:
        item_id = None
    if kind == "barrier" and item_id:
        found = session.scalar(
            select(Barrier.id)
            .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
            .where(
                Barrier.id == item_id,
                Barrier.employee_id == review.employee_id,
                BarrierAxis.is_sensitive.is_(True),
            )
        )
        if found:
            return {"barrier_id": found}
    if kind == "note" and item_id:
        found = session.scalar(
            select(DiagnosticNote.id).where(
                DiagnosticNote.id == item_id,
                DiagnosticNote.employee_id == review.employee_id,
                DiagnosticNote.is_confidential.is_(True),
            )
        )
        if found:
            return {"note_id": found}
    raise ServiceError("Cet élément confidentiel n'existe pas pour ce salarié.", field="item")


def _same(d: ReviewDisclosure, columns: dict) -> bool:
    return all(getattr(d, k) == v for k, v in columns.items())


def _disclosure_history(
    session: Session, review: Review, membership: Membership, name: str, item: str, included: bool
) -> None:
    """Recorded as the item's label on the bilan page (« Frein — Santé (Identifié) »), among
    the sensitive lines of the history: the label names a sensitive item."""
    found = next((i for i in documents.sensitive_items(session, review) if i.key == item), None)
    shown = found.label if found else item
    old, new = (None, shown) if included else (shown, None)
    history.event(session, membership, ENTITY, review, name, new, old=old, sensitive=True)


def disclose(
    session: Session, review: Review, *, membership: Membership, item: str
) -> ReviewDisclosure:
    """The CIP includes one sensitive item in the copies that leave the structure; recorded
    with who and when, and in the history."""
    _unlocked(review, "item")
    columns = _disclosable(session, review, item)
    existing = next((d for d in review.disclosures if _same(d, columns)), None)
    if existing is not None:
        return existing
    disclosure = ReviewDisclosure(included_by_id=membership.id, **columns)
    review.disclosures.append(disclosure)
    session.flush()
    _disclosure_history(
        session, review, membership, "inclusion d'un élément confidentiel", item, included=True
    )
    return disclosure


def withdraw(session: Session, review: Review, *, membership: Membership, item: str) -> None:
    _unlocked(review, "item")
    columns = _disclosable(session, review, item)
    for d in [d for d in review.disclosures if _same(d, columns)]:
        review.disclosures.remove(d)
    session.flush()
    _disclosure_history(
        session, review, membership, "retrait d'un élément confidentiel", item, included=False
    )


# ------------------------------------------------------------------ workflow


def _ready_checks(review: Review) -> None:
    if not review.cip_synthesis:
        raise ServiceError("Écrivez la synthèse de la CIP avant de marquer le bilan prêt.")


def _held_checks(review: Review, today: date) -> None:
    if review.held_on is None:
        review.held_on = today
    if review.held_on > today:
        raise ServiceError("Un bilan ne peut pas être tenu à une date future.")


def _step(to: str) -> ReviewStatus:
    """The status a step button asks for: any but the first (a bilan is opened a draft)."""
    try:
        status = ReviewStatus(to)
    except ValueError:
        status = None
    if status is None or status is ReviewStatus.DRAFT:
        raise ServiceError("Étape inconnue.")
    return status


def move(
    session: Session, review: Review, *, to: str, membership: Membership, today: date
) -> Review:
    """One step forward: brouillon → prêt → tenu → validé (then locked)."""
    step, origin = _step(to), ReviewStatus(review.status)
    if origin.forward is not step:
        raise ServiceError(
            f"Ce bilan est « {origin.label} » : il ne peut pas passer à « {step.label} »."
        )
    if step is ReviewStatus.READY:
        _ready_checks(review)
    elif step is ReviewStatus.HELD:
        _held_checks(review, today)
    else:
        review.validated_at, review.validated_by_id = utcnow(), membership.id
    review.status = step
    flush_or_stale(session)
    history.event(session, membership, ENTITY, review, "étape", step, old=origin)
    return review


def reopen(session: Session, review: Review, *, membership: Membership, motif: str) -> Review:
    motif = (motif or "").strip()
    if not review.is_locked:
        raise ServiceError("Ce bilan n'est pas validé.", field="motif")
    if not motif:
        raise ServiceError("Indiquez le motif de la réouverture.", field="motif")
    review.status = ReviewStatus.HELD
    review.validated_at = review.validated_by_id = None
    review.reopenings.append(ReviewReopening(by_id=membership.id, motif=motif))
    flush_or_stale(session)
    history.event(session, membership, ENTITY, review, "réouverture", motif)
    return review
