"""Declarative base, the column and relationship helpers every model uses, and the mixins.

- References between tables: ``belongs_to`` (deleted with the row it points to) and
  ``refers_to`` (emptied instead); the other side of ``belongs_to``: ``has_many``, or
  ``has_records`` for ``AppendOnly`` rows.
- Rows: ``TenantRow`` (UUID, structure) and ``TenantRecord`` (the same, with timestamps);
  ``Versioned`` adds optimistic locking, ``Reopening`` is the record of a reopened document.
- ``AppendOnly`` marks a record of what happened: written once, never changed by the web
  process (``siae_app.records``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    declared_attr,
    mapped_column,
    relationship,
)

if TYPE_CHECKING:
    from siae_app.models.accounts import Membership

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


# ---- columns: the nullability of each follows its ``Mapped[...]`` annotation


def timestamp(**kw: Any) -> MappedColumn[Any]:
    """A moment, always stored with its time zone."""
    return mapped_column(DateTime(timezone=True), **kw)


# Every reference between tables is an indexed UUID column.


def belongs_to(table: str, **kw: Any) -> MappedColumn[Any]:
    """A reference to the row this one belongs to: deleting that row deletes this one."""
    return mapped_column(Uuid, ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True, **kw)


def refers_to(table: str, *, ondelete: str = "SET NULL") -> MappedColumn[Any]:
    """A reference that empties (or, with ``ondelete="RESTRICT"``, forbids) deleting its row."""
    return mapped_column(Uuid, ForeignKey(f"{table}.id", ondelete=ondelete), index=True)


# ---- relationships


def has_many(back_populates: str, *, order_by: str | None = None) -> Any:
    """The rows that ``belongs_to`` this one, in order: saved and deleted with it."""
    return relationship(
        back_populates=back_populates, order_by=order_by, cascade="all, delete-orphan"
    )


def has_records(back_populates: str, *, order_by: str | None = None) -> Any:
    """The ``AppendOnly`` rows about this one: saved with it, never deleted nor emptied by the
    ORM (the application's role may not); deleting this row removes them in the database
    (ON DELETE CASCADE, which PostgreSQL runs as the owner of the tables)."""
    return relationship(
        back_populates=back_populates,
        order_by=order_by,
        cascade="save-update, merge",
        passive_deletes="all",
    )


def mixin_relationship(target: str, *, via: str | None = None) -> Any:
    """The many-to-one side of a mixin's reference: each class mixing it in gets its own
    relationship() (``via`` names the reference where a table has several to the target)."""

    def make(cls: type):  # no return annotation: the attribute's Mapped[...] is the one read
        if via is None:
            return relationship(target)
        return relationship(target, foreign_keys=f"{cls.__name__}.{via}")

    return declared_attr(make)


# ---- ``__table_args__``


def one_per_pair(table: str, first: str, second: str) -> tuple[UniqueConstraint]:
    """A row that links two others: one row at most per pair."""
    return (UniqueConstraint(first, second, name=f"uq_{table}_pair"),)


def one_per_structure(table: str, column: str) -> tuple[UniqueConstraint]:
    """A row whose ``column`` (its key, its name) is unique in its structure."""
    return (UniqueConstraint("structure_id", column, name=f"uq_{table}_{column}"),)


# ---- properties


def label_of(field: str, labels: Mapping[str, str]) -> property:
    """A read-only ``<field>_label``: the French label of the field's code (else the code)."""

    def label(self: object) -> str:
        code = getattr(self, field)
        return labels.get(code, code)

    return property(label)


# ---- mixins and abstract bases


class UUIDPk:
    # UUIDs: not guessable in URLs, and an offline phone can mint the id of a new record.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamped:
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    updated_at: Mapped[datetime] = timestamp(default=utcnow, onupdate=utcnow)


class TenantScoped:
    """Rows that belong to one structure. Every SELECT is filtered by siae_app.tenancy."""

    @declared_attr
    def structure_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805 - declared_attr takes the class
        return belongs_to("structures", nullable=False)


class Versioned:
    """Optimistic locking: saving a copy that someone else changed meanwhile raises
    ``StaleDataError`` instead of silently overwriting their change."""

    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr takes the class
        return {"version_id_col": cls.__table__.c.version_id}


class TenantRow(UUIDPk, TenantScoped, Base):
    """A row of one structure, known by its UUID."""

    __abstract__ = True


class TenantRecord(UUIDPk, Timestamped, TenantScoped, Base):
    """A row of one structure, known by its UUID, that keeps when it was created and changed."""

    __abstract__ = True


class AppendOnly:
    """A record of what happened (who opened, changed, reopened what, and when): the web
    process adds rows and reads them, never changes nor deletes one. ``siae_app.records``
    lists these tables for ``flask dbrole setup`` (SELECT and INSERT only) and refuses such
    writes in the ORM; rows go only with what they record (ON DELETE, run by the database as
    the tables' owner) or by the owner's purge commands."""


class Reopening(AppendOnly, TenantRecord):
    """A locked document reopened for a correction: who (``by``), when (``created_at``), why."""

    __abstract__ = True

    motif: Mapped[str] = mapped_column(Text)
    by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    by: Mapped[Membership | None] = mixin_relationship("Membership")
