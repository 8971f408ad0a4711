"""The salarié's own space: a personal link and a code, no account (« Mon espace »)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, refers_to, timestamp
from siae_app.models.employees import OfEmployee


class PersonalAccess(OfEmployee, TenantRecord):
    """One personal link of a salarié. The link's secret and the code are kept only as
    digests; a new link replaces the old one (revoked). ``generation`` changes whenever the
    code or the link's state changes: the space's cookies carry it, and an older one opens
    nothing."""

    __tablename__ = "personal_accesses"

    link_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(255))
    # A code the CIP gave out (shown once): it opens the space once, then the salarié
    # chooses their own.
    code_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    code_set_at: Mapped[datetime | None] = timestamp()
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = timestamp()
    revoked_at: Mapped[datetime | None] = timestamp()
    generation: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_opened_at: Mapped[datetime | None] = timestamp()
    opened_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    revoked_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # Reminders by e-mail, only with the salarié's recorded consent (date and who recorded it).
    reminders_consented_at: Mapped[datetime | None] = timestamp()
    reminders_recorded_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # The day the last reminder went out: at most one message a day (services/personal_space/
    # reminders.py).
    last_reminder_on: Mapped[date | None] = mapped_column(Date)

    opened_by: Mapped[Membership | None] = relationship(foreign_keys=[opened_by_id])
    revoked_by: Mapped[Membership | None] = relationship(foreign_keys=[revoked_by_id])
    reminders_recorded_by: Mapped[Membership | None] = relationship(
        foreign_keys=[reminders_recorded_by_id]
    )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None
