"""Staff accounts (global) and their memberships in structures (tenant-scoped)."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.base import Base, TenantScoped, Timestamped, UUIDPk
from siae_app.models.structures import Structure


class Role(enum.StrEnum):
    ETI = "eti"
    CIP = "cip"
    COORDINATOR = "coordinator"
    DIRECTOR = "director"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ETI: "Encadrant·e technique (ETI)",
    Role.CIP: "Conseiller·ère en insertion (CIP)",
    Role.COORDINATOR: "Coordination",
    Role.DIRECTOR: "Direction",
    Role.ADMIN: "Administration",
}


def new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(UUIDPk, Timestamped, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Rotated at sign-out and password change: every cookie issued before is refused.
    session_nonce: Mapped[str] = mapped_column(String(40), default=new_session_nonce)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    previous_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Flask-Login protocol: a deactivated person is never "active" in any structure.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.password_hash is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(UUIDPk, Timestamped, TenantScoped, Base):
    """A person's place in one structure: roles, and whether the access is active."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("structure_id", "user_id", name="uq_memberships_user"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    job_title: Mapped[str | None] = mapped_column(String(120))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    structure: Mapped[Structure] = relationship()

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles or ())

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [r.label for r in Role if r in self.role_set]
