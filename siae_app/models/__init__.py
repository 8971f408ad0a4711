"""All models, imported here so that Alembic and the mappers see every table."""

from siae_app.models.accounts import ROLE_LABELS, Membership, Role, User
from siae_app.models.attendance import Attendance
from siae_app.models.base import Base, TenantScoped
from siae_app.models.employees import (
    AccessLog,
    ChangeRecord,
    Contract,
    EligibilityCriterion,
    Employee,
    EmployeeCriterion,
    EmployeeImport,
    PassExtension,
    PassIae,
    PassSuspension,
)
from siae_app.models.frameworks import (
    ActivityFramework,
    Block,
    Competency,
    Criterion,
    Framework,
    FrameworkImport,
)
from siae_app.models.observations import Observation, ObservationCompetency
from siae_app.models.scales import Level, Scale
from siae_app.models.structures import Structure
from siae_app.models.teams import Activity, Team, TeamSupervisor
from siae_app.models.urgent import UrgentSituation

__all__ = [
    "ROLE_LABELS",
    "AccessLog",
    "Attendance",
    "Observation",
    "ObservationCompetency",
    "UrgentSituation",
    "ChangeRecord",
    "Contract",
    "EligibilityCriterion",
    "Employee",
    "EmployeeCriterion",
    "EmployeeImport",
    "PassExtension",
    "PassIae",
    "PassSuspension",
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
