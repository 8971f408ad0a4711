"""All models, imported here so that Alembic and the mappers see every table."""

from siae_app.models.base import Base, TenantScoped
from siae_app.models.framework import (
    ActivityFramework,
    Block,
    Competency,
    Criterion,
    Framework,
    FrameworkImport,
)
from siae_app.models.scale import Level, Scale
from siae_app.models.structure import Structure
from siae_app.models.team import Activity, Team, TeamSupervisor
from siae_app.models.user import ROLE_LABELS, Membership, Role, User

__all__ = [
    "ROLE_LABELS",
    "Activity",
    "ActivityFramework",
    "Block",
    "Competency",
    "Criterion",
    "Framework",
    "FrameworkImport",
    "Level",
    "Scale",
    "Base",
    "Membership",
    "Role",
    "Structure",
    "Team",
    "TeamSupervisor",
    "TenantScoped",
    "User",
]
