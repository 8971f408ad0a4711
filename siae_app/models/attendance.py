"""Présences: one record per salarié per day, marked by the ETI on the chantier."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Index, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, label_of, refers_to
from siae_app.models.employees import OfEmployee

ATTENDANCE_STATUSES = {
    "present": "Présent·e",
    "absent": "Absent·e",
    "late": "En retard",
    "left_early": "Départ anticipé",
}

ABSENCE_MOTIFS = {
    "maladie": "Maladie",
    "justifiee": "Absence justifiée",
    "injustifiee": "Absence injustifiée",
    "conge": "Congé",
    "formation": "Formation",
    "rdv_partenaire": "Rendez-vous partenaire",
    "pmsmp": "PMSMP",
}


UNJUSTIFIED_MARK = "status = 'absent' AND motif = 'injustifiee'"
# The history's name of a mark (its changes' lines in change_records).
MARK_HISTORY_ENTITY = "attendance"


class Attendance(OfEmployee, TenantRecord):
    """The day of one salarié. The id is minted by the phone, so a replayed POST is a no-op."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("employee_id", "day", name="uq_attendances_employee_day"),
        Index("ix_attendances_structure_day", "structure_id", "day"),
        # A team's grid: who worked in the team during the period (migration h6c0ffee0008).
        Index("ix_attendances_team_day", "team_id", "day"),
        # The alerts' streaks of unjustified absences: few marks, read from the index alone
        # (migrations e7c0ffee0031, i7c0ffee0035).
        Index(
            "ix_attendances_unjustified",
            "structure_id",
            "employee_id",
            "day",
            postgresql_where=text(UNJUSTIFIED_MARK),
            sqlite_where=text(UNJUSTIFIED_MARK),
        ),
    )

    # The team the salarié worked in that day (grids per team stay right after a move).
    team_id: Mapped[uuid.UUID | None] = refers_to("teams")
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="present")
    motif: Mapped[str | None] = mapped_column(String(30))
    late_minutes: Mapped[int | None] = mapped_column(Integer)
    hours_worked: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0"))
    marked_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    marked_by: Mapped[Membership | None] = relationship()

    status_label = label_of("status", ATTENDANCE_STATUSES)

    @property
    def hours_label(self) -> str:
        """« 5,2 »: the hours in French, cheap enough for a month grid's cells."""
        return format(Decimal(self.hours_worked or 0).normalize(), "f").replace(".", ",")

    @property
    def motif_label(self) -> str:
        return ABSENCE_MOTIFS.get(self.motif or "", "")
