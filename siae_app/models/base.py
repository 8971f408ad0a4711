"""Declarative base, UUID keys, timestamps and the TenantScoped mixin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, MetaData, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UUIDPk:
    # UUIDs: not guessable in URLs, and an offline phone can mint the id of a new record.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class TenantScoped:
    """Rows that belong to one structure. Every SELECT is filtered by siae_app.tenancy."""

    @declared_attr
    def structure_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(
            Uuid, ForeignKey("structures.id", ondelete="CASCADE"), index=True, nullable=False
        )


class Reopening(UUIDPk, Timestamped):
    """A locked document reopened for a correction: who (``by``), when (``created_at``), why."""

    motif: Mapped[str] = mapped_column(Text)

    @declared_attr
    def by_id(cls) -> Mapped[uuid.UUID | None]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(Uuid, ForeignKey("memberships.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def by(cls):  # noqa: N805
        return relationship("Membership")
