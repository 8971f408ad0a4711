"""Named statuses: the string a column stores, its French label, the statuses it may become.

Each workflow's statuses are one ``Status`` (a ``StrEnum``): a member *is* the string stored
in the column (same VARCHAR(20), same SQL), ``label`` is what screens and the change history
show, ``moves`` is where it may go — the services that change a status check it there.
Declared as ``VALUE = "stored", "Label", ("stored value of a target", …)``.

They live together rather than beside each model because every feature reads several of
them (a bilan follows goals, an attestation starts from a validated assessment, templates
compare with them all: ``templating.py`` hands them to Jinja). ``Role`` and
``MembershipStatus`` stay with the accounts: they are not workflows.

Stored in a column: bilan, attestation, batch, goal, séance. Derived from dates (no
column): assessment and entretien (``Assessment.status``, ``Interview.status``), PASS IAE
(``services.employees.pass_iae.status``), a bilan of the schedule no bilan answers yet
(``ScheduledReviewStatus``; once opened, the schedule shows the bilan's ``ReviewStatus``).
"""

from __future__ import annotations

import enum
from typing import Self

from sqlalchemy import Enum, event
from sqlalchemy.orm import MappedColumn, Mapper, mapped_column


class Status(enum.StrEnum):
    """A status: the stored string, its label, and its moves (``None``: any other status of
    the same kind, for statuses a person sets by hand)."""

    label: str

    def __new__(cls, value: str, label: str, moves: tuple[str, ...] | None = ()):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member._targets = moves
        return member

    @property
    def moves(self) -> frozenset[Self]:
        if self._targets is None:
            return frozenset(s for s in type(self) if s is not self)
        return frozenset(type(self)(value) for value in self._targets)

    def may_become(self, other: Self) -> bool:
        return other in self.moves

    @classmethod
    def choices(cls) -> dict[str, str]:
        """{stored value: label}, in the order of declaration (a select's options)."""
        return {s.value: s.label for s in cls}


def status_column(kind: type[Status], default: Status, *, index: bool = False) -> MappedColumn:
    """The column of a status: VARCHAR(20) of the stored value (no CHECK, no native enum, so
    the schema is a plain string column), read back as the member. A string set on it becomes
    the member at once; an unknown one is refused there."""
    return mapped_column(
        Enum(
            kind,
            native_enum=False,
            length=20,
            values_callable=lambda members: [s.value for s in members],
            validate_strings=True,
        ),
        default=default,
        index=index,
        info={"status": kind},
    )


@event.listens_for(Mapper, "mapper_configured")
def _members_on_set(mapper: Mapper, cls: type) -> None:
    # Without it, ``row.status = "held"`` would hold a plain string until the row is loaded
    # again, and ``row.status.label`` would fail in between.
    for prop in mapper.column_attrs:
        kind = prop.columns[0].info.get("status")
        if kind is not None and prop.parent is mapper:
            event.listen(
                getattr(cls, prop.key),
                "set",
                lambda _row, value, _old, _initiator, kind=kind: kind(value),
                retval=True,
            )


class ReviewStatus(Status):
    """Bilan: brouillon → prêt → tenu → validé (locked); reopened with a motif, back to tenu."""

    DRAFT = "draft", "Brouillon", ("ready",)
    READY = "ready", "Prêt", ("held",)
    HELD = "held", "Tenu", ("validated",)
    VALIDATED = "validated", "Validé", ("held",)

    @property
    def forward(self) -> ReviewStatus | None:
        """The next step (« Marquer prêt »…); none once validated (only a reopening moves it)."""
        if self is ReviewStatus.VALIDATED:
            return None
        return next(iter(self.moves))


class ScheduledReviewStatus(Status):
    """A bilan the parcours calls for that no bilan answers yet (the schedule of
    ``services.reviews.schedule``): à venir, en retard once its date has passed, remplacé when a
    later bilan of the parcours is validated (not late: the parcours went on without it)."""

    COMING = "coming", "À venir", None
    LATE = "late", "En retard", None
    REPLACED = "replaced", "Remplacé", None


class AttestationStatus(Status):
    """Proposée (content still compiled again on demand) → signée (frozen) → révoquée."""

    PROPOSED = "proposed", "Proposée", ("signed",)
    SIGNED = "signed", "Signée", ("revoked",)
    REVOKED = "revoked", "Révoquée"


class BatchStatus(Status):
    """An export of attestations, built by a job: en attente → en cours → terminé or échec."""

    QUEUED = "queued", "En attente", ("running", "failed")
    RUNNING = "running", "En cours", ("done", "failed")
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"

    @property
    def in_progress(self) -> bool:
        """Not finished yet: the page asks again for its progress."""
        return bool(self.moves)


class GoalStatus(Status):
    """Objectif de progression: set by hand to any status; a validated assessment moves an
    open one to atteint (or non atteint once due), a reopened one back to en cours."""

    OPEN = "open", "En cours", None
    REACHED = "reached", "Atteint", None
    PARTLY = "partly", "En partie atteint", None
    MISSED = "missed", "Non atteint", None
    DROPPED = "dropped", "Abandonné", None


class LearningStatus(Status):
    """Séance d'apprentissage: set by hand (a séance still to come cannot be réalisée)."""

    PLANNED = "planned", "Prévue", None
    HELD = "held", "Réalisée", None
    CANCELLED = "cancelled", "Annulée", None


class AssessmentStatus(Status):
    """Évaluation: en saisie → vue avec le salarié → one validation → both (locked); a
    reopening with a motif starts again from the entry. The value names the badge's style."""

    DRAFT = "draft", "En cours de saisie", ("seen",)
    SEEN = "seen", "Vue avec le salarié", ("partial",)
    PARTLY_VALIDATED = "partial", "Validation en cours", ("locked",)
    LOCKED = "locked", "Validée", ("draft",)


class PassStatus(Status):
    """PASS IAE, computed from its dates, suspensions and prolongations (a prolongation may
    make an expired PASS valid again)."""

    VALID = "valide", "Valide", None
    SUSPENDED = "suspendu", "Suspendu", None
    EXPIRED = "expire", "Expiré", None


class InterviewStatus(Status):
    """Entretien: ouvert → clôturé (locked); reopened with a motif."""

    OPEN = "open", "Ouvert", ("closed",)
    CLOSED = "closed", "Clôturé", ("open",)


class RenewalStatus(Status):
    """Renouvellement d'un CDDI: avis de l'encadrant → proposition de la CIP → décision de la
    direction, one step after the other. The circuit opens before the contract ends with no
    row (``OPINION``: computed from the dates); the ETI's opinion creates the row."""

    OPINION = "opinion", "Avis de l'encadrant attendu", ("proposal",)
    PROPOSAL = "proposal", "Proposition de la CIP attendue", ("decision",)
    DECISION = "decision", "Décision de la direction attendue", ("renewed", "not_renewed")
    RENEWED = "renewed", "Renouvelé"
    NOT_RENEWED = "not_renewed", "Non renouvelé : sortie prévue"

    @property
    def is_open(self) -> bool:
        return bool(self.moves)
