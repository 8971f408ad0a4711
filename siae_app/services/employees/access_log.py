"""Journal des accès (DESIGN.md §5.3): who opened which part of whose file, when.

Never the data itself. Kept one year, then purged by ``flask rgpd purge-access-log``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import AccessLog, Employee, Membership, Structure

PART_LABELS = {
    "fiche": "Fiche du salarié",
    "fiche_sensible": "Fiche du salarié (avec données sensibles)",
    "historique": "Historique des modifications",
    "export": "Export de la liste des salariés",
}
RETENTION_DAYS = 365
PAGE_SIZE = 100


def record_view(
    session: Session, membership: Membership, employee: Employee | None, part: str = "fiche"
) -> AccessLog:
    entry = AccessLog(
        membership_id=membership.id,
        employee_id=employee.id if employee else None,
        part=part,
        action="view",
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class LogFilter:
    membership_id: uuid.UUID | None = None
    employee_id: uuid.UUID | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def entries(session: Session, flt: LogFilter, limit: int = PAGE_SIZE) -> tuple[list, int]:
    """The newest entries matching ``flt`` (at most ``limit``) and how many match in all."""
    stmt = select(AccessLog)
    if flt.membership_id:
        stmt = stmt.where(AccessLog.membership_id == flt.membership_id)
    if flt.employee_id:
        stmt = stmt.where(AccessLog.employee_id == flt.employee_id)
    if flt.since:
        stmt = stmt.where(AccessLog.at >= _start_of(flt.since))
    if flt.until:
        stmt = stmt.where(AccessLog.at < _start_of(flt.until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(
        stmt.options(
            selectinload(AccessLog.membership).selectinload(Membership.user),
            selectinload(AccessLog.employee),
        )
        .order_by(AccessLog.at.desc())
        .limit(limit)
    ).all()
    return list(rows), total or 0


def purge(
    session: Session, older_than_days: int = RETENTION_DAYS, dry_run: bool = False
) -> dict[str, int]:
    """Delete entries older than the limit, in every structure (system scope): per slug."""
    cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
    counts = dict(
        session.execute(
            select(Structure.slug, func.count(AccessLog.id))
            .join(Structure, Structure.id == AccessLog.structure_id)
            .where(AccessLog.at < cutoff)
            .group_by(Structure.slug)
        ).all()
    )
    if counts and not dry_run:
        session.execute(delete(AccessLog).where(AccessLog.at < cutoff))
    return counts
