"""The renewal circuit of a CDDI: the ETI's opinion, the CIP's proposal, the direction's
decision, each dated with its author (services/renewals.py holds the rules and the order).

One circuit per contract: the contract whose end it decides. A decision to renew points to
the avenant it created; a decision not to renew to the planned sortie and its bilan.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, label_of, one_per_pair, refers_to
from siae_app.models.employees import Contract, OfEmployee
from siae_app.models.statuses import RenewalStatus, status_column

# The ETI's opinion on a renewal.
OPINION_VERDICTS = {
    "favorable": "Favorable au renouvellement",
    "reserve": "Favorable avec réserves",
    "defavorable": "Défavorable au renouvellement",
}
# What the CIP proposes and what the direction decides.
RENEWAL_CHOICES = {
    "renew": "Renouveler le contrat",
    "exit": "Ne pas renouveler : préparer la sortie",
}


class RenewalDecision(OfEmployee, TenantRecord):
    """The circuit that decides whether ``contract`` is renewed."""

    __tablename__ = "renewal_decisions"
    __table_args__ = one_per_pair("renewal_decisions", "employee_id", "contract_id")

    contract_id: Mapped[uuid.UUID] = refers_to("contracts", ondelete="CASCADE")
    status: Mapped[RenewalStatus] = status_column(RenewalStatus, RenewalStatus.PROPOSAL)
    # 1. The ETI (or coordination): the work, the assiduité, the progress, and a verdict.
    opinion_work: Mapped[str] = mapped_column(Text)
    opinion_attendance: Mapped[str] = mapped_column(Text)
    opinion_progress: Mapped[str] = mapped_column(Text)
    opinion_verdict: Mapped[str] = mapped_column(String(20))
    opinion_on: Mapped[date] = mapped_column(Date)
    opinion_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # 2. The CIP (or coordination): renew (months, hours, PASS prolongation) or the exit.
    proposal: Mapped[str | None] = mapped_column(String(10))
    proposed_months: Mapped[int | None] = mapped_column(Integer)
    proposed_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    derogation_motif: Mapped[str | None] = mapped_column(String(30))
    pass_extension: Mapped[bool] = mapped_column(Boolean, default=False)
    proposal_comment: Mapped[str | None] = mapped_column(Text)
    proposal_on: Mapped[date | None] = mapped_column(Date)
    proposal_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # 3. The direction: what it decided, and what followed.
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    avenant_id: Mapped[uuid.UUID | None] = refers_to("contracts")
    exit_planned_on: Mapped[date | None] = mapped_column(Date)
    exit_review_id: Mapped[uuid.UUID | None] = refers_to("reviews")

    contract: Mapped[Contract] = relationship(foreign_keys=[contract_id])
    avenant: Mapped[Contract | None] = relationship(foreign_keys=[avenant_id])
    opinion_by: Mapped[Membership | None] = relationship(foreign_keys=[opinion_by_id])
    proposal_by: Mapped[Membership | None] = relationship(foreign_keys=[proposal_by_id])
    decided_by: Mapped[Membership | None] = relationship(foreign_keys=[decided_by_id])

    verdict_label = label_of("opinion_verdict", OPINION_VERDICTS)
    proposal_label = label_of("proposal", RENEWAL_CHOICES)
    decision_label = label_of("decision", RENEWAL_CHOICES)
