"""Diagnostic: axes, freins (with history), atouts, notes, objectifs de parcours.

Sensitive freins and confidential notes are filtered by ``scopes.barriers`` and
``scopes.diagnostic_notes``; writing one is checked here again (the form is not trusted).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    Employee,
    Membership,
    PathwayObjective,
    Strength,
)
from siae_app.models.diagnostic import (
    BARRIER_LEVELS,
    BARRIER_STATUSES,
    DEFAULT_AXES,
    OBJECTIVE_ORIGINS,
    OBJECTIVE_STATUSES,
)
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed
from siae_app.services import ServiceError, history
from siae_app.services.versions import check_version, flush_or_stale

# ------------------------------------------------------------------ axes


def axes(session: Session, *, include_archived: bool = False) -> list[BarrierAxis]:
    """The structure's axes, seeded with the usual defaults the first time."""
    rows = session.scalars(select(BarrierAxis).order_by(BarrierAxis.position)).all()
    if not rows:
        rows = [
            BarrierAxis(key=key, label=label, is_sensitive=sensitive, position=i)
            for i, (key, label, sensitive) in enumerate(DEFAULT_AXES)
        ]
        session.add_all(rows)
        session.flush()
    return [a for a in rows if include_archived or not a.is_archived]


def writable_axes(session: Session, membership: Membership) -> list[BarrierAxis]:
    """Axes this membership may record a frein on (sensitive ones need the right)."""
    may_sensitive = allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_WRITE)
    return [a for a in axes(session) if may_sensitive or not a.is_sensitive]


def save_axis(
    session: Session,
    axis: BarrierAxis | None,
    *,
    label: str,
    is_sensitive: bool,
    is_archived: bool = False,
) -> BarrierAxis:
    label = label.strip()
    existing = axes(session, include_archived=True)
    if any(a.label.casefold() == label.casefold() and a is not axis for a in existing):
        raise ServiceError(f"L'axe « {label} » existe déjà.", field="label")
    if axis is None:
        axis = BarrierAxis(key=f"axe_{uuid.uuid4().hex[:8]}", position=len(existing), label=label)
        session.add(axis)
    axis.label, axis.is_sensitive, axis.is_archived = label, is_sensitive, is_archived
    session.flush()
    return axis


# ------------------------------------------------------------------ freins


def _check_barrier_values(status: str, level: int | None) -> None:
    if status not in BARRIER_STATUSES:
        raise ServiceError("Statut inconnu.", field="status")
    if level is not None and level not in BARRIER_LEVELS:
        raise ServiceError("Le niveau va de 1 à 5 (ou « non évalué »).", field="level")


def _barrier_state(barrier: Barrier) -> dict[str, object]:
    return {
        "axe": barrier.axis,
        "statut": barrier.status,
        "niveau": barrier.level,
        "commentaire": barrier.comment,
    }


def save_barrier(
    session: Session,
    barrier: Barrier | None,
    *,
    employee: Employee,
    membership: Membership,
    axis: BarrierAxis,
    status: str,
    level: int | None,
    comment: str | None,
    expected_version: int | None = None,
) -> Barrier:
    """Create or update a frein; every changed field goes to the history."""
    if axis is None:
        raise ServiceError("Choisissez un axe.", field="axis_id")
    _check_barrier_values(status, level)
    if axis.is_sensitive and not allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_WRITE):
        raise ServiceError(
            "Votre rôle ne permet pas d'enregistrer un frein sur un axe sensible.",
            field="axis_id",
        )
    if barrier is None:
        barrier = Barrier(employee_id=employee.id, author_id=membership.id)
        session.add(barrier)
        before = dict.fromkeys(("axe", "statut", "niveau", "commentaire"))
        was_sensitive = False
    else:
        check_version(barrier, expected_version)
        if barrier.is_sensitive and not allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_WRITE):
            raise ServiceError(
                "Votre rôle permet de lire ce frein, pas de le modifier.", field="status"
            )
        before = _barrier_state(barrier)
        was_sensitive = barrier.is_sensitive
    barrier.axis, barrier.status, barrier.level = axis, status, level
    barrier.comment = (comment or "").strip() or None
    flush_or_stale(session)
    # A frein moved off a sensitive axis keeps its old values protected.
    sensitive = axis.is_sensitive or was_sensitive
    changes = history.compare(before, _barrier_state(barrier), sensitive=sensitive)
    history.record(session, membership, "frein", barrier, changes)
    return barrier


def barrier_history(
    session: Session, barrier: Barrier, membership: Membership
) -> list[history.Entry]:
    """The dated history of one frein the caller was already allowed to load. Records made
    while the frein sat on a sensitive axis stay as protected as a sensitive frein: a frein
    moved off such an axis does not hand its old values to the direction."""
    records = history.of_row(session, "frein", barrier.id)
    reach = scopes.sensitive_reach(membership)
    reads_sensitive = reach == "all" or (reach == "own" and barrier.author_id == membership.id)
    return [r for r in records if reads_sensitive or not r.sensitive]


# ------------------------------------------------------------------ atouts, notes, objectifs


def add_strength(
    session: Session,
    *,
    employee: Employee,
    membership: Membership,
    text: str,
    axis: BarrierAxis | None,
) -> Strength:
    text = text.strip()
    if not text:
        raise ServiceError("Décrivez l'atout.", field="text")
    if axis is not None and axis.is_sensitive:
        raise ServiceError("Un atout ne se classe pas sur un axe sensible.", field="axis_id")
    strength = Strength(
        employee_id=employee.id,
        author_id=membership.id,
        text=text,
        axis_id=axis.id if axis else None,
    )
    session.add(strength)
    session.flush()
    return strength


def add_note(
    session: Session,
    *,
    employee: Employee,
    membership: Membership,
    body: str,
    is_confidential: bool,
) -> DiagnosticNote:
    body = body.strip()
    if not body:
        raise ServiceError("La note est vide.", field="body")
    if is_confidential and not allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_WRITE):
        raise ServiceError(
            "Votre rôle ne permet pas d'écrire une note confidentielle.", field="body"
        )
    note = DiagnosticNote(
        employee_id=employee.id,
        author_id=membership.id,
        body=body,
        is_confidential=is_confidential,
    )
    session.add(note)
    session.flush()
    return note


def save_objective(
    session: Session,
    objective: PathwayObjective | None,
    *,
    employee: Employee,
    label: str,
    origin: str,
    due_date: date | None,
    status: str,
    barrier: Barrier | None,
) -> PathwayObjective:
    if origin not in OBJECTIVE_ORIGINS:
        raise ServiceError("Origine inconnue.", field="origin")
    if status not in OBJECTIVE_STATUSES:
        raise ServiceError("Statut inconnu.", field="status")
    if due_date and employee.entry_date and due_date < employee.entry_date:
        raise ServiceError(
            "L'échéance ne peut pas précéder l'arrivée du salarié.", field="due_date"
        )
    if objective is None:
        objective = PathwayObjective(employee_id=employee.id)
        session.add(objective)
    objective.label, objective.origin, objective.status = label.strip(), origin, status
    objective.due_date = due_date
    objective.barrier_id = barrier.id if barrier else None
    session.flush()
    return objective


# ------------------------------------------------------------------ the page


@dataclass
class Diagnostic:
    """What one membership may read of one salarié's diagnostic."""

    barriers: list[Barrier] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    notes: list[DiagnosticNote] = field(default_factory=list)
    objectives: list[PathwayObjective] = field(default_factory=list)

    @property
    def shows_sensitive(self) -> bool:
        return any(b.is_sensitive for b in self.barriers) or any(
            n.is_confidential for n in self.notes
        )


def load(session: Session, membership: Membership, employee: Employee) -> Diagnostic:
    """The diagnostic as ``membership`` may read it (the page showing it is logged by the
    access trail, with whether sensitive content was shown)."""
    barriers = session.scalars(
        scopes.barriers(membership)
        .options(
            selectinload(Barrier.axis), selectinload(Barrier.author).selectinload(Membership.user)
        )
        .where(Barrier.employee_id == employee.id)
        .order_by(Barrier.created_at)
    ).all()
    notes = session.scalars(
        scopes.diagnostic_notes(membership)
        .options(selectinload(DiagnosticNote.author).selectinload(Membership.user))
        .where(DiagnosticNote.employee_id == employee.id)
        .order_by(DiagnosticNote.created_at.desc())
    ).all()
    strengths = session.scalars(
        select(Strength)
        .options(selectinload(Strength.axis))
        .where(Strength.employee_id == employee.id)
        .order_by(Strength.created_at)
    ).all()
    objectives = session.scalars(
        select(PathwayObjective)
        .where(PathwayObjective.employee_id == employee.id)
        .order_by(PathwayObjective.due_date.is_(None), PathwayObjective.due_date)
    ).all()
    visible_ids = {b.id for b in barriers}
    diagnostic = Diagnostic(
        barriers=list(barriers),
        strengths=list(strengths),
        notes=list(notes),
        # An objective linked to a frein the reader may not see would reveal it: hide the link.
        objectives=[o for o in objectives if o.barrier_id is None or o.barrier_id in visible_ids],
    )
    return diagnostic
