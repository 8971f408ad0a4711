"""What the State funds and what the structure declares to it: the annexes financières of the
convention (ETP conventionnés over a period, with the convention's exit targets) and the hours
paid each month on each contract (the aide au poste is paid on them)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    TenantRecord,
    belongs_to,
    label_of,
    one_per_pair,
    refers_to,
    timestamp,
)
from siae_app.models.employees import Contract, Employee
from siae_app.models.statuses import BatchStatus, status_column

# The kinds of annexe financière a convention holds (one per kind of structure it runs).
ANNEX_KINDS = {
    "ACI": "ACI — atelier et chantier d'insertion",
    "EI": "EI — entreprise d'insertion",
    "AI": "AI — association intermédiaire",
    "ETTI": "ETTI — entreprise de travail temporaire d'insertion",
    "EITI": "EITI — entreprise d'insertion par le travail indépendant",
}


class FundingAnnex(TenantRecord):
    """Annexe financière: the ETP the State funds over a period, and the exit targets."""

    __tablename__ = "funding_annexes"

    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str | None] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    etp_conventioned: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    # Targets as fractions of the counted exits (0.6 = 60 %); none when the convention sets none.
    target_dynamic_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    target_durable_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))

    kind_label = label_of("kind", ANNEX_KINDS)

    @property
    def label(self) -> str:
        """« ACI 2026 » or « ACI 01/07/2025 – 30/06/2026 », with its number when known."""
        if (self.start_date.month, self.start_date.day, self.end_date.month, self.end_date.day) == (
            1,
            1,
            12,
            31,
        ) and self.start_date.year == self.end_date.year:
            period = str(self.start_date.year)
        else:
            period = f"{self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"
        number = f" (n° {self.number})" if self.number else ""
        return f"{self.kind} {period}{number}"

    def __repr__(self) -> str:
        return f"<FundingAnnex {self.kind} {self.start_date}>"


class PaidHours(TenantRecord):
    """The hours paid on one contract in one month, where they differ from what the contract
    gives by default (unpaid absences, overtime): the motif says why."""

    __tablename__ = "paid_hours"
    __table_args__ = one_per_pair("paid_hours", "contract_id", "month")

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    contract_id: Mapped[uuid.UUID] = belongs_to("contracts")
    month: Mapped[date] = mapped_column(Date)  # the month's first day
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    motif: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    employee: Mapped[Employee] = relationship()
    contract: Mapped[Contract] = relationship()
    by: Mapped[Membership | None] = relationship()


class AnnualReport(TenantRecord):
    """A frozen copy of a year's report: its figures (the indicators' JSON) and the PDF and
    XLSX made from them, built by a job. A later copy of the same year shows what changed."""

    __tablename__ = "annual_reports"

    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[BatchStatus] = status_column(BatchStatus, BatchStatus.QUEUED)
    requested_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    step: Mapped[int] = mapped_column(Integer, default=0)  # of REPORT_STEPS done
    figures: Mapped[dict | None] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    xlsx: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = timestamp()

    requested_by: Mapped[Membership | None] = relationship()
