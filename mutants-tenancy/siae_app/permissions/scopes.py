"""Row visibility: which rows of the structure a membership may see (README, « Qui voit quoi »).

Views never write these joins inline: they start from a scope and add their own filters.
Anything outside the scope is simply not found, so a loader answers 404 (as for another
structure's object), never a 403 that would confirm the row exists.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from siae_app.models import (
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    Employee,
    Membership,
    Observation,
    Role,
    Team,
    TeamSupervisor,
)
from siae_app.permissions.policy import Perm, allowed

BROADER_THAN_ETI = frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR})


def sees_only_own_teams(membership: Membership) -> bool:
    """An ETI with no broader role sees only the teams they supervise."""
    return Role.ETI in membership.role_set and not (membership.role_set & BROADER_THAN_ETI)


def supervised_team_ids(membership: Membership) -> Select:
    """Ids of the teams this membership supervises (a subquery)."""
    return select(TeamSupervisor.team_id).where(TeamSupervisor.membership_id == membership.id)


def teams(membership: Membership, stmt: Select | None = None) -> Select:
    """The teams a membership may see: all of them, or only those it supervises."""
    stmt = select(Team) if stmt is None else stmt
    if sees_only_own_teams(membership):
        stmt = stmt.where(Team.id.in_(supervised_team_ids(membership)))
    return stmt


def supervised_teams(membership: Membership, stmt: Select | None = None) -> Select:
    """The teams this membership supervises itself (the ETI's « Mes équipes »)."""
    stmt = select(Team) if stmt is None else stmt
    return stmt.where(Team.id.in_(supervised_team_ids(membership)))


def employees(membership: Membership, stmt: Select | None = None) -> Select:
    """The salariés a membership may see: an ETI (no broader role) only those of the teams
    they supervise (a salarié with no team is not theirs); CIP, coordination, direction all.
    The administrator alone holds no permission on employees (the policy refuses first)."""
    stmt = select(Employee) if stmt is None else stmt
    if sees_only_own_teams(membership):
        stmt = stmt.where(Employee.team_id.in_(supervised_team_ids(membership)))
    return stmt


def employee_rows(membership: Membership, model, stmt: Select | None = None) -> Select:
    """Rows of ``model`` (which has ``employee_id``) about the salariés the membership sees."""
    stmt = select(model) if stmt is None else stmt
    if sees_only_own_teams(membership):
        visible = select(Employee.id).where(Employee.team_id.in_(supervised_team_ids(membership)))
        stmt = stmt.where(model.employee_id.in_(visible))
    return stmt


def sensitive_reach(membership: Membership) -> str:
    """How far a membership reaches into sensitive freins and confidential notes (README,
    « Qui voit quoi »): "all" (CIP, coordination), "own" (ETI: their own entries), "none"."""
    if allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_READ):
        return "all"
    if allowed(membership, Perm.DIAGNOSTIC_SENSITIVE_WRITE):
        return "own"
    return "none"


def barriers(membership: Membership, stmt: Select | None = None) -> Select:
    """Freins the membership may read: the salariés in scope, and sensitive axes only as
    far as ``sensitive_reach`` allows."""

    stmt = employee_rows(membership, Barrier, stmt)
    reach = sensitive_reach(membership)
    if reach == "all":
        return stmt
    plain_axes = select(BarrierAxis.id).where(BarrierAxis.is_sensitive.is_(False))
    condition = Barrier.axis_id.in_(plain_axes)
    if reach == "own":
        condition = condition | (Barrier.author_id == membership.id)
    return stmt.where(condition)


def diagnostic_notes(membership: Membership, stmt: Select | None = None) -> Select:
    """Notes the membership may read: confidential ones as far as ``sensitive_reach``."""

    stmt = employee_rows(membership, DiagnosticNote, stmt)
    reach = sensitive_reach(membership)
    if reach == "all":
        return stmt
    condition = DiagnosticNote.is_confidential.is_(False)
    if reach == "own":
        condition = condition | (DiagnosticNote.author_id == membership.id)
    return stmt.where(condition)


def markable_teams(membership: Membership, stmt: Select | None = None) -> Select:
    """Teams whose attendance this membership may write: all for coordination, else the
    teams it supervises (an ETI)."""
    stmt = select(Team) if stmt is None else stmt
    if Role.COORDINATOR in membership.role_set:
        return stmt
    return stmt.where(Team.id.in_(supervised_team_ids(membership)))


def observations(membership: Membership, stmt: Select | None = None) -> Select:
    """Observations this membership may read: those of the salariés it sees; a sensitive one
    only for the CIP and coordination, or its own author (README, « Qui voit quoi »)."""

    stmt = select(Observation) if stmt is None else stmt
    if sees_only_own_teams(membership):
        visible = employees(membership, select(Employee.id))
        stmt = stmt.where(Observation.employee_id.in_(visible))
    if not allowed(membership, Perm.OBSERVATIONS_SENSITIVE_VIEW):  # CIP, coordination
        stmt = stmt.where(
            (Observation.sensitive.is_(False)) | (Observation.author_id == membership.id)
        )
    return stmt
