"""Staff accounts (global) and their memberships in structures (tenant-scoped)."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.base import (
    AppendOnly,
    Base,
    TenantRecord,
    TenantRow,
    Timestamped,
    UUIDPk,
    belongs_to,
    label_of,
    mixin_relationship,
    refers_to,
    timestamp,
    utcnow,
)
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
    last_login_at: Mapped[datetime | None] = timestamp()
    previous_login_at: Mapped[datetime | None] = timestamp()
    password_changed_at: Mapped[datetime | None] = timestamp()
    # Set when the person proved they read this address (a link that went by e-mail). A
    # password chosen through a link shown on another person's screen does not prove it, and
    # such an account cannot accept another structure's invitation from the chooser.
    email_verified_at: Mapped[datetime | None] = timestamp()
    # Second factor (TOTP): the base32 secret, never shown again once enrolment is confirmed;
    # enrolled when ``totp_enabled_at`` is set. ``totp_last_step``: the time step of the last
    # code accepted (a code is accepted once). Recovery codes: only their digests, each
    # removed from the list when used.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = timestamp()
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    recovery_code_hashes: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

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

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class TrustedDevice(UUIDPk, Base):
    """A browser where the person ticked « Se souvenir de cet appareil »: its cookie holds a
    random token, only the digest is here. Per person, not per structure (like ``users``)."""

    __tablename__ = "trusted_devices"

    user_id: Mapped[uuid.UUID] = belongs_to("users")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    last_used_at: Mapped[datetime | None] = timestamp()
    expires_at: Mapped[datetime] = timestamp()
    revoked_at: Mapped[datetime | None] = timestamp()


class Passkey(UUIDPk, Base):
    """A passkey (WebAuthn credential) the person added in « Mon compte »: another way to
    give the second factor at sign-in, next to the TOTP code. Per person, like ``users``.
    ``sign_count``: the authenticator's counter at the last use (a lower one is refused)."""

    __tablename__ = "passkeys"

    user_id: Mapped[uuid.UUID] = belongs_to("users")
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    label: Mapped[str] = mapped_column(String(120))
    transports: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    last_used_at: Mapped[datetime | None] = timestamp()


class UserSession(UUIDPk, Base):
    """One signed-in session (a browser's cookie): listed on « Mes appareils et sessions »,
    ended there or at sign-out; the user loader refuses a cookie whose row is ended."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = belongs_to("users")
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    last_seen_at: Mapped[datetime] = timestamp(default=utcnow)
    ended_at: Mapped[datetime | None] = timestamp()


class MembershipStatus(enum.StrEnum):
    # An invitation with a role that reads personal data, asked by an administrator: no link
    # exists and the person is not told until another person approves it. It has neither
    # ``invited_at`` nor roles yet (the person's own lookup reads the latter: tenancy.lookup).
    AWAITING_APPROVAL = "awaiting_approval"
    PENDING = "pending"  # invited, not yet accepted by the person: no access
    ACTIVE = "active"
    DEACTIVATED = "deactivated"  # access ended here, or the invitation refused / cancelled


class Membership(TenantRecord):
    """A person's place in one structure: roles, and whether the access is active.

    An invitation is a pending membership (``invited_at`` set, ``accepted_at`` empty, not
    active): it gives no access until the person accepts it. ``is_active`` is the one column
    every access check reads (the /s/<slug>/ parent, the policy).
    """

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("structure_id", "user_id", name="uq_memberships_user"),)

    user_id: Mapped[uuid.UUID] = belongs_to("users")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    job_title: Mapped[str | None] = mapped_column(String(120))
    deactivated_at: Mapped[datetime | None] = timestamp()
    invited_at: Mapped[datetime | None] = timestamp()
    accepted_at: Mapped[datetime | None] = timestamp()
    # The name the inviting administrator typed: what the structure sees until the person
    # accepts (never the account's own name, which may come from another structure).
    invited_name: Mapped[str | None] = mapped_column(String(201))
    # Roles asked by an administrator that read personal data: applied only once another
    # person (another administrator, independent of the requester, or the direction) approves.
    requested_roles: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    requested_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    requested_at: Mapped[datetime | None] = timestamp()
    # The administrator at the origin of this one's administration role when an administrator
    # gave it (administrators made by one person share it: none approves another's requests);
    # empty when the operator, the direction or an approved request made it.
    admin_origin_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    structure: Mapped[Structure] = relationship()
    requested_by: Mapped[Membership | None] = relationship(
        foreign_keys=[requested_by_id], remote_side="Membership.id"
    )

    @property
    def status(self) -> MembershipStatus:
        if self.is_active:
            return MembershipStatus.ACTIVE
        if self.accepted_at is None and self.deactivated_at is None:
            if self.invited_at is None:
                return MembershipStatus.AWAITING_APPROVAL
            return MembershipStatus.PENDING
        return MembershipStatus.DEACTIVATED

    @property
    def is_pending(self) -> bool:
        return self.status is MembershipStatus.PENDING

    @property
    def awaits_approval(self) -> bool:
        """A request (an invitation or new roles) waits for a second person."""
        return self.requested_at is not None

    @property
    def invitation_awaits_approval(self) -> bool:
        """An invitation not sent yet: no link exists until a second person approves."""
        return self.status is MembershipStatus.AWAITING_APPROVAL

    @property
    def admin_origin(self) -> uuid.UUID:
        return self.admin_origin_id or self.id

    @property
    def requested_labels(self) -> list[str]:
        wanted = set(self.requested_roles or ())
        return [r.label for r in Role if r.value in wanted]

    @property
    def display_name(self) -> str:
        """The name the structure may see: the typed one until the person has accepted."""
        if self.accepted_at is None and not self.is_active:
            return self.invited_name or self.user.email
        return self.user.full_name

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles or ())

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [r.label for r in Role if r in self.role_set]


class Authored:
    """A row written by a member of the structure: ``author``, emptied if they are deleted."""

    author_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    author: Mapped[Membership | None] = mixin_relationship("Membership", via="author_id")


def role_labels_of(roles) -> str:
    known = set(roles or ())
    return ", ".join(r.label for r in Role if r.value in known) or "aucun"


EVENT_LABELS = {
    "invited": "Invitation",
    "accepted": "Invitation acceptée",
    "refused": "Invitation refusée",
    "roles": "Rôles modifiés",
    "deactivated": "Accès désactivé",
    "reactivated": "Accès réactivé",
    "invite_requested": "Invitation demandée (à approuver)",
    "roles_requested": "Rôles demandés (à approuver)",
    "approved": "Demande approuvée",
    "denied": "Demande refusée",
    "withdrawn": "Demande retirée",
    "two_factor_reset": "Double authentification réinitialisée",
}


class MembershipEvent(AppendOnly, TenantRow):
    """Audit trail of a membership: invitation, acceptance, role changes, (de)activation."""

    __tablename__ = "membership_events"

    membership_id: Mapped[uuid.UUID] = belongs_to("memberships")
    # Who did it: a membership of the same structure; empty for the person themself or the CLI.
    actor_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    kind: Mapped[str] = mapped_column(String(20))
    old_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    new_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    actor: Mapped[Membership | None] = relationship(foreign_keys=[actor_id])

    @property
    def shows_roles(self) -> bool:
        """Does the line say roles before → after (not for a sign-in side event)?"""
        return self.kind not in (
            "accepted",
            "refused",
            "deactivated",
            "reactivated",
            "two_factor_reset",
        )

    @property
    def old_labels(self) -> str:
        return role_labels_of(self.old_roles)

    @property
    def new_labels(self) -> str:
        return role_labels_of(self.new_roles)

    kind_label = label_of("kind", EVENT_LABELS)
