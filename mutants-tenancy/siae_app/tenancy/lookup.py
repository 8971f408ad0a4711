"""The few reads the web process makes before, or across, a structure.

- A structure by the slug of the URL: ``structures`` has no row-level security (slug, name,
  kind, city: no personal data), so it is a plain query with no tenant active.
- One person's memberships in every structure (sign-in, structure chooser, invitations): on
  PostgreSQL through ``app_memberships_of(user_id)``, a SECURITY DEFINER function owned by
  the owner of the tables; the application's role can read no other membership outside the
  active structure. The function answers only for the person named by the signed setting
  ``app.user_id`` / ``app.user_token``, which is set here for the call and emptied after it:
  an SQL injection, which cannot sign, cannot list anyone's memberships. On SQLite, a plain
  query in system scope (there is no database role there).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Membership, Role, Structure
from siae_app.models.structures import SLUG_RE, STRUCTURE_KINDS


@dataclass(frozen=True)
class StructureSummary:
    id: uuid.UUID
    slug: str
    name: str
    kind: str

    @property
    def kind_label(self) -> str:
        return STRUCTURE_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class MembershipSummary:
    """What the chooser shows of a membership (read-only; not an ORM object)."""

    id: uuid.UUID
    structure: StructureSummary
    roles: tuple[str, ...]
    is_active: bool
    accepted_at: datetime | None = None
    deactivated_at: datetime | None = None

    @property
    def is_pending(self) -> bool:
        """An invitation waiting for the person's answer. One still waiting for a second
        person's approval has no role yet (services/accounts/approvals.py): it is not the
        person's to see or answer."""
        unanswered = self.accepted_at is None and self.deactivated_at is None
        return not self.is_active and unanswered and bool(self.roles)

    @property
    def structure_id(self) -> uuid.UUID:
        return self.structure.id

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [r.label for r in Role if r in self.role_set]


def structure_by_slug(session: Session, slug: str | None) -> Structure | None:
    # A slug is never looked up unless it has a slug's shape (no NUL byte reaches the database).
    if not slug or not SLUG_RE.fullmatch(slug):
        return None
    return session.scalar(select(Structure).where(Structure.slug == slug))


_SET_USER_SQL = text(
    "SELECT set_config('app.user_id', :uid, true), set_config('app.user_token', :token, true)"
)
_MEMBERSHIPS_SQL = text(
    "SELECT membership_id, structure_id, slug, name, kind, roles, is_active, accepted_at, "
    "deactivated_at FROM app_memberships_of(:user_id)"
)


def _roles(value) -> tuple[str, ...]:
    if isinstance(value, str):  # a driver that hands json back as text
        value = json.loads(value)
    return tuple(value or ())


def _from_function(session: Session, user_id: uuid.UUID) -> list[MembershipSummary]:
    uid = str(user_id)
    session.execute(_SET_USER_SQL, {"uid": uid, "token": tenancy.user_token_for(uid)})
    rows = session.execute(_MEMBERSHIPS_SQL, {"user_id": user_id}).all()
    # For this call only: the rest of the transaction names no person. (Had the call failed,
    # the rollback that follows would empty the setting as well.)
    session.execute(_SET_USER_SQL, {"uid": "", "token": ""})
    return [
        MembershipSummary(
            id=r.membership_id,
            structure=StructureSummary(r.structure_id, r.slug, r.name, r.kind),
            roles=_roles(r.roles),
            is_active=r.is_active,
            accepted_at=r.accepted_at,
            deactivated_at=r.deactivated_at,
        )
        for r in rows
    ]


def _from_query(session: Session, user_id: uuid.UUID) -> list[MembershipSummary]:
    with tenancy.system_scope(session):
        rows = session.execute(
            select(
                Membership.id,
                Membership.roles,
                Membership.is_active,
                Membership.accepted_at,
                Membership.deactivated_at,
                Structure,
            )
            .join(Structure, Structure.id == Membership.structure_id)
            .where(Membership.user_id == user_id)
            .order_by(func.lower(Structure.name), Structure.slug)
        ).all()
    return [
        MembershipSummary(
            id=mid,
            structure=StructureSummary(s.id, s.slug, s.name, s.kind),
            roles=_roles(roles),
            is_active=active,
            accepted_at=accepted,
            deactivated_at=deactivated,
        )
        for mid, roles, active, accepted, deactivated, s in rows
    ]


def memberships_of(session: Session, user_id: uuid.UUID) -> list[MembershipSummary]:
    """Every membership of one person, in any structure, sorted by structure name."""
    if session.get_bind().dialect.name == "postgresql":
        return _from_function(session, user_id)
    return _from_query(session, user_id)
