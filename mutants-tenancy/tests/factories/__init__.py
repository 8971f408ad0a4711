"""factory_boy factories, one module per feature, all importable from ``tests.factories``."""

from tests.factories.accounts import (
    TEST_PASSWORD,
    TEST_PASSWORD_HASH,
    MembershipFactory,
    UserFactory,
)
from tests.factories.actions import ActionFactory
from tests.factories.attestations import (
    make_attestation,
    make_done_batch,
    make_validated_assessment,
)
from tests.factories.diagnostic import ObjectiveFactory, make_barrier, make_note
from tests.factories.employees import (
    AccessLogFactory,
    ContractFactory,
    EmployeeFactory,
    PassExtensionFactory,
    PassIaeFactory,
    PassSuspensionFactory,
    make_employee,
)
from tests.factories.evaluations import (
    make_assessment,
    make_goal,
    make_grid,
    make_seance,
)
from tests.factories.frameworks import make_framework, make_import_draft, parsed_tree
from tests.factories.interviews import InterviewFactory
from tests.factories.onboarding import make_checklist
from tests.factories.partners import PartnerContactFactory, PartnerFactory
from tests.factories.reviews import ReviewFactory, make_levelled_assessment
from tests.factories.structures import StructureFactory
from tests.factories.teams import ActivityFactory, TeamFactory, TeamSupervisorFactory

__all__ = [
    "make_attestation",
    "make_done_batch",
    "make_validated_assessment",
    "ActionFactory",
    "InterviewFactory",
    "ObjectiveFactory",
    "PartnerContactFactory",
    "PartnerFactory",
    "ReviewFactory",
    "make_assessment",
    "make_barrier",
    "make_levelled_assessment",
    "make_checklist",
    "make_goal",
    "make_grid",
    "make_seance",
    "make_note",
    "TEST_PASSWORD",
    "TEST_PASSWORD_HASH",
    "AccessLogFactory",
    "ActivityFactory",
    "ContractFactory",
    "EmployeeFactory",
    "PassExtensionFactory",
    "PassIaeFactory",
    "PassSuspensionFactory",
    "MembershipFactory",
    "StructureFactory",
    "TeamFactory",
    "TeamSupervisorFactory",
    "UserFactory",
    "make_employee",
    "make_framework",
    "make_import_draft",
    "parsed_tree",
]
