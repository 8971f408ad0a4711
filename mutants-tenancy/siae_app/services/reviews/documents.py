"""The PDF copies of a validated bilan, and the sensitive items the CIP may include.

Two copies: the salarié's (it also goes to the prescripteur) and the file's. What leaves the
structure carries no sensitive frein, confidential note, sensitive need or sensitive
observation, except the items the CIP included one by one (ReviewDisclosure, shown on the
copy). The file's copy adds the sensitive items for a reader whose role may read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    Employee,
    Membership,
    Observation,
    Structure,
)
from siae_app.models.diagnostic import BARRIER_STATUSES
from siae_app.models.employees import PASS_EXTENSION_MOTIFS, SENSITIVE_MOTIFS
from siae_app.models.reviews import (
    NEED_SCORES,
    PROLONGATION_NEEDS,
    RENEWAL_CHOICES,
    SENSITIVE_NEEDS,
    Review,
    ReviewDisclosure,
    ReviewHighlight,
)
from siae_app.permissions.policy import Perm, allowed
from siae_app.services import structure_identity
from siae_app.services.pdf import render_pdf
from siae_app.services.reviews import compile as compiling

COPIES = {"salarie": "Exemplaire du salarié", "dossier": "Exemplaire du dossier"}
# Printed on every page of a copy rendered before the bilan is validated (the preview).
DRAFT_MARK = "Aperçu — non validé"


@dataclass
class SensitiveItem:
    """A sensitive item of the salarié: ``key`` names it in a disclosure form."""

    key: str
    label: str
    text: str
    disclosure: ReviewDisclosure | None = None

    @property
    def disclosed(self) -> bool:
        return self.disclosure is not None


def _disclosure_key(d: ReviewDisclosure) -> str:
    if d.barrier_id:
        return f"barrier:{d.barrier_id}"
    if d.note_id:
        return f"note:{d.note_id}"
    return f"motif:{d.need_key}" if d.need_key == "prolongation_motif" else f"need:{d.need_key}"


def sensitive_items(session: Session, review: Review) -> list[SensitiveItem]:
    """Every sensitive item of the salarié a copy could carry, with its disclosure if any."""
    barriers = session.scalars(
        select(Barrier)
        .join(BarrierAxis, BarrierAxis.id == Barrier.axis_id)
        .options(selectinload(Barrier.axis))
        .where(Barrier.employee_id == review.employee_id, BarrierAxis.is_sensitive.is_(True))
        .order_by(BarrierAxis.position)
    ).all()
    notes = session.scalars(
        select(DiagnosticNote)
        .where(
            DiagnosticNote.employee_id == review.employee_id,
            DiagnosticNote.is_confidential.is_(True),
        )
        .order_by(DiagnosticNote.created_at)
    ).all()
    items = [
        SensitiveItem(
            f"barrier:{b.id}",
            f"Frein — {b.axis.label} ({BARRIER_STATUSES.get(b.status, b.status)})",
            b.comment or "",
        )
        for b in barriers
    ]
    items += [SensitiveItem(f"note:{n.id}", "Note confidentielle", n.body) for n in notes]
    items += [
        SensitiveItem(f"need:{key}", f"Besoin — {PROLONGATION_NEEDS[key]}", NEED_SCORES[score])
        for key, score in (review.needs or {}).items()
        if key in SENSITIVE_NEEDS and score in NEED_SCORES
    ]
    if review.prolongation_motif in SENSITIVE_MOTIFS:
        motif = PASS_EXTENSION_MOTIFS.get(review.prolongation_motif, review.prolongation_motif)
        items.append(SensitiveItem("motif:prolongation_motif", "Motif de prolongation", motif))
    by_key = {_disclosure_key(d): d for d in review.disclosures}
    for item in items:
        item.disclosure = by_key.get(item.key)
    return items


def may_read_sensitive(membership: Membership) -> bool:
    return allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_READ)


def highlights(session: Session, review: Review) -> list[Observation]:
    """The chosen observations, never a sensitive one (even if marked so afterwards)."""
    return list(
        session.scalars(
            select(Observation)
            .join(ReviewHighlight, ReviewHighlight.observation_id == Observation.id)
            .where(ReviewHighlight.review_id == review.id, Observation.sensitive.is_(False))
            .order_by(Observation.observed_on)
        )
    )


def needs_rows(review: Review, shown_sensitive: set[str]) -> list[tuple[str, str]]:
    """(need, score) lines of the prolongation template; a sensitive need only when shown."""
    return [
        (label, NEED_SCORES[review.needs[key]])
        for key, label in PROLONGATION_NEEDS.items()
        if review.needs.get(key) in NEED_SCORES
        and (key not in SENSITIVE_NEEDS or key in shown_sensitive)
    ]


def motif_text(review: Review, shown: bool) -> str:
    motif = review.prolongation_motif
    if not motif:
        return ""
    if motif in SENSITIVE_MOTIFS and not shown:
        return "Motif confidentiel (non communiqué)"
    return PASS_EXTENSION_MOTIFS.get(motif, motif)


@dataclass(frozen=True)
class Signatory:
    role: str
    name: str
    organisation: str


def _is_prescriber(role: str | None) -> bool:
    return "prescri" in (role or "").casefold()


def signatories(review: Review, employee: Employee, structure: Structure) -> list[Signatory]:
    """Who signs the bilan: the salarié, the CIP and the prescripteur, named when known (a
    participant noted as prescripteur, else the file's prescripteur; the referent CIP, else
    who validated)."""
    cip = employee.referent or review.validated_by
    prescriber = next((p for p in review.participants if _is_prescriber(p.role)), None)
    return [
        Signatory("Salarié·e", employee.display_name, ""),
        Signatory(
            "Conseiller·ère en insertion (CIP)",
            cip.user.full_name if cip is not None else "",
            structure.name,
        ),
        Signatory(
            "Prescripteur",
            prescriber.name if prescriber else (employee.prescriber_contact or ""),
            (prescriber.organisation if prescriber else employee.prescriber_org) or "",
        ),
    ]


def context(
    session: Session, review: Review, copy: str, membership: Membership, *, draft: bool = False
) -> dict:
    """What the copy shows: the disclosed items for the salarié's copy; every sensitive item
    for the file's copy when the reader may read them. ``draft``: the same copy before the
    validation, marked on every page and without the validation's line."""
    items = sensitive_items(session, review)
    internal = copy == "dossier" and may_read_sensitive(membership)
    shown = [i for i in items if internal or i.disclosed]
    shown_needs = {i.key.partition(":")[2] for i in shown if i.key.startswith("need:")}
    structure = session.get(Structure, review.structure_id)
    employee = session.get(Employee, review.employee_id)
    logo = structure_identity.logo_url(structure)
    return {
        "review": review,
        "employee": employee,
        "structure": structure,
        "identity": structure,
        "signatories": signatories(review, employee, structure),
        "logo_url": logo,
        "title": f"{review.kind_label} — {COPIES[copy]}" + (f" ({DRAFT_MARK})" if draft else ""),
        "draft_mark": DRAFT_MARK if draft else "",
        "copy_label": COPIES[copy],
        "compiled": review.compiled or {},
        "coverage": compiling.coverage_of(session, review),
        "highlights": highlights(session, review),
        "needs": needs_rows(review, shown_needs),
        "motif": motif_text(review, any(i.key.startswith("motif:") for i in shown)),
        "renewal_label": RENEWAL_CHOICES.get(review.renewal or "", ""),
        "sensitive": shown,
        "internal": internal,
        "as_date": date.fromisoformat,
    }


@dataclass(frozen=True)
class CopyFile:
    """A copy's PDF, and whether it carries sensitive items (whoever downloads it is then
    logged as reading sensitive content)."""

    content: bytes
    sensitive: bool


def pdf(session: Session, review: Review, copy: str, membership: Membership) -> CopyFile:
    """The copy of a validated bilan."""
    shown = context(session, review, copy, membership)
    return CopyFile(render_pdf("pdf/review.html", **shown), bool(shown["sensitive"]))


def preview(session: Session, review: Review, copy: str, membership: Membership) -> CopyFile:
    """The copy as validating the bilan now would print it (same template, same compiled
    content, same sensitive items), marked « Aperçu — non validé ». Reads only."""
    if review.is_locked:
        raise ValueError("a validated bilan has its real copies")
    shown = context(session, review, copy, membership, draft=True)
    return CopyFile(render_pdf("pdf/review.html", **shown), bool(shown["sensitive"]))
