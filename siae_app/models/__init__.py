"""All models, imported here so that Alembic and the mappers see every table."""

from siae_app.models.accounts import (
    ROLE_LABELS,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Passkey,
    Role,
    TrustedDevice,
    User,
    UserSession,
)
from siae_app.models.actions import Action
from siae_app.models.alerts import AlertSnooze
from siae_app.models.attendance import Attendance
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.models.base import Base, TenantScoped
from siae_app.models.credentials import CredentialKey
from siae_app.models.diagnostic import (
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    PathwayObjective,
    Strength,
)
from siae_app.models.employees import (
    AccessLog,
    ChangeRecord,
    Contract,
    EligibilityCriterion,
    Employee,
    EmployeeCriterion,
    EmployeeImport,
    ExitFollowup,
    ExitHandoverItem,
    PassExtension,
    PassIae,
    PassSuspension,
    PreviousStay,
)
from siae_app.models.evaluations import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    AssessmentReopening,
    Goal,
    Grid,
    GridItem,
    LearningSession,
)
from siae_app.models.evidence import EvidenceFile, EvidenceFileItem
from siae_app.models.frameworks import (
    ActivityFramework,
    Block,
    Competency,
    Criterion,
    Framework,
    FrameworkImport,
)
from siae_app.models.funding import AnnualReport, FundingAnnex, PaidHours
from siae_app.models.immersions import Immersion
from siae_app.models.interviews import Interview
from siae_app.models.observations import Observation, ObservationCompetency
from siae_app.models.onboarding import OnboardingItem, OnboardingTemplateItem
from siae_app.models.partners import Partner, PartnerContact
from siae_app.models.personal_space import PersonalAccess
from siae_app.models.privacy import PrivacyRequest, PurgeRecord, RetentionSetting
from siae_app.models.renewals import RenewalDecision
from siae_app.models.reviews import (
    Review,
    ReviewDisclosure,
    ReviewFollowup,
    ReviewHighlight,
    ReviewParticipant,
    ReviewReopening,
)
from siae_app.models.scales import Level, Scale
from siae_app.models.statuses import (
    AssessmentStatus,
    AttestationStatus,
    BatchStatus,
    GoalStatus,
    InterviewStatus,
    LearningStatus,
    PassStatus,
    RenewalStatus,
    ReviewStatus,
    ScheduledReviewStatus,
)
from siae_app.models.structures import Structure
from siae_app.models.teams import Activity, Team, TeamSupervisor
from siae_app.models.urgent import UrgentSituation

__all__ = [
    "CredentialKey",
    "EvidenceFile",
    "EvidenceFileItem",
    "PersonalAccess",
    "PrivacyRequest",
    "PurgeRecord",
    "RetentionSetting",
    "AssessmentStatus",
    "AttestationStatus",
    "BatchStatus",
    "GoalStatus",
    "InterviewStatus",
    "LearningStatus",
    "PassStatus",
    "RenewalDecision",
    "RenewalStatus",
    "ReviewStatus",
    "ScheduledReviewStatus",
    "Assessment",
    "AssessmentEvidence",
    "AssessmentItem",
    "AssessmentReopening",
    "Attestation",
    "AttestationBatch",
    "Goal",
    "Grid",
    "GridItem",
    "LearningSession",
    "Review",
    "ReviewDisclosure",
    "ReviewFollowup",
    "ReviewHighlight",
    "ReviewParticipant",
    "ReviewReopening",
    "Action",
    "AlertSnooze",
    "Barrier",
    "BarrierAxis",
    "DiagnosticNote",
    "Interview",
    "OnboardingItem",
    "OnboardingTemplateItem",
    "Partner",
    "PartnerContact",
    "PathwayObjective",
    "Strength",
    "ROLE_LABELS",
    "AccessLog",
    "Attendance",
    "Observation",
    "ObservationCompetency",
    "UrgentSituation",
    "ChangeRecord",
    "Contract",
    "ExitFollowup",
    "Immersion",
    "PreviousStay",
    "ExitHandoverItem",
    "AnnualReport",
    "FundingAnnex",
    "PaidHours",
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
    "MembershipEvent",
    "MembershipStatus",
    "Role",
    "Structure",
    "Team",
    "TeamSupervisor",
    "TenantScoped",
    "Passkey",
    "TrustedDevice",
    "User",
    "UserSession",
]
