"""The shared test world: two structures, a member of each role in both, and helpers.

Fixtures live in conftest.py; what a test module imports lives here.
"""

from __future__ import annotations

import html
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pyotp
from sqlalchemy import text
from sqlalchemy.engine import make_url

from config.settings import TestConfig
from siae_app import tenancy
from siae_app.auth_session import SESSION_ROW
from siae_app.extensions import db, login_manager
from siae_app.models import (
    Activity,
    AnnualReport,
    Attestation,
    AttestationBatch,
    BatchStatus,
    Employee,
    Framework,
    FrameworkImport,
    FundingAnnex,
    Membership,
    ReviewStatus,
    Role,
    Scale,
    Structure,
    Team,
    UrgentSituation,
)
from siae_app.models.reviews import Review
from siae_app.services.accounts import sessions as user_sessions
from siae_app.services.funding import report as report_service
from siae_app.services.scales import create_default_scale
from tests import factories as f

PG_OWNER_URL = os.environ.get("TEST_DATABASE_URL")
ON_POSTGRES = bool(PG_OWNER_URL)


def role_name(suffix: str) -> str:
    """A cluster-wide role name of this test database (parallel suites use other names)."""
    database = make_url(PG_OWNER_URL).database if ON_POSTGRES else "siae_test"
    return re.sub(r"[^a-z0-9_]", "_", f"{database}_{suffix}".lower())[:63]


APP_DB_ROLE = role_name("app")


def _end_session_transaction() -> None:
    session = db.session()
    if session.in_transaction():
        if session.is_active:
            session.commit()
        else:
            session.rollback()


# The key the test app signs its structure setting with (the test code runs outside it).
APP_KEY = tenancy.signing_key(TestConfig.SECRET_KEY)


def set_structure(connection, structure_id, *, token: str | None = None, local=True) -> None:
    """Raw SQL's way to the settings the policies read: the structure id and its signature
    (by default the app's own; ``token=""`` or another one, as an attacker would send)."""
    sid = str(structure_id or "")
    connection.execute(
        text(
            "SELECT set_config('app.structure_id', :sid, :local), "
            "set_config('app.structure_token', :token, :local)"
        ),
        {
            "sid": sid,
            "token": tenancy.token_for(sid, APP_KEY) if token is None else token,
            "local": local,
        },
    )


def set_database_role(connection, role: str | None) -> None:
    """Switch the test's connection to ``role`` (PostgreSQL), or back to the owner (None).

    The session's savepoint ends first, so SET ROLE lands in the outer transaction and no
    ROLLBACK TO SAVEPOINT (a request that fails) undoes it. Sent on the driver's cursor:
    tests/querycount.py does not count it.
    """
    _end_session_transaction()
    if not ON_POSTGRES:
        return
    statement = f'SET ROLE "{role}"' if role else "RESET ROLE"
    with connection.connection.cursor() as cursor:
        cursor.execute(statement)


@contextmanager
def app_role(connection):
    """Run the block as the application's role on the test's connection (PostgreSQL)."""
    set_database_role(connection, APP_DB_ROLE)
    try:
        yield connection
    finally:
        set_database_role(connection, None)


def test_config(url: str) -> dict:
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    return cfg


test_config.__test__ = False  # not a test, despite its name


@dataclass
class Site:
    """One structure of the world, with a member of each role and some objects."""

    structure: Structure
    members: dict[str, Membership] = field(default_factory=dict)
    team: Team | None = None
    other_team: Team | None = None
    activity: Activity | None = None
    scale: Scale | None = None
    framework: Framework | None = None
    draft: FrameworkImport | None = None
    employee: Employee | None = None  # in ``team`` (the ETI's team)
    other_employee: Employee | None = None  # in ``other_team`` (not the ETI's)
    # followup: a non-sensitive frein, an action with a partner, accueil, an entretien
    followup: dict = field(default_factory=dict)
    urgent: UrgentSituation | None = None  # chantier: open, about ``employee``
    review: Review | None = None  # bilans: validated (its PDF answers), about ``employee``
    # a bilan not validated yet (its preview answers), about ``employee``: a bilan de sortie
    # « prêt », a kind no test opens for ``employee`` and no step of the schedule answers
    unvalidated_review: Review | None = None
    # attestations: a signed attestation of ``employee`` (from a validated assessment), and a
    # finished batch export containing it
    attestation: Attestation | None = None
    attestation_batch: AttestationBatch | None = None
    # evaluations: a grid of ``framework``, an assessment of ``employee``, a goal, a séance
    evaluations: dict = field(default_factory=dict)
    # conventionnement: an ACI annex in force today (the employees' contracts count on it),
    # and a frozen copy of this year's report (its PDF and XLSX answer)
    annex: FundingAnnex | None = None
    annual_report: AnnualReport | None = None
    # records of ``other_employee`` (not the ETI's team), by URL argument: only the team
    # sweep builds them (add_other_team_records), the rest of the suite has none
    other_records: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.structure.slug

    def member(self, role: str) -> Membership:
        return self.members[role]


ROLE_KEYS = [r.value for r in Role]


def build_site(slug: str, name: str) -> Site:
    structure = f.StructureFactory(slug=slug, name=name)
    site = Site(structure=structure)
    for role in Role:
        site.members[role.value] = f.MembershipFactory(
            structure=structure,
            roles=[role.value],
            user=f.UserFactory(email=f"{role.value}.{slug}@example.org"),
        )
    site.members["all"] = f.MembershipFactory(
        structure=structure,
        roles=ROLE_KEYS,
        user=f.UserFactory(email=f"toutes-fonctions.{slug}@example.org"),
    )
    # The person the admin screens act on in route sweeps (never signed in by a test client).
    site.members["target"] = f.MembershipFactory(
        structure=structure, roles=["eti"], user=f.UserFactory(email=f"cible.{slug}@example.org")
    )
    site.scale = create_default_scale(db.session, structure.id)
    db.session.commit()
    site.activity = f.ActivityFactory(structure_id=structure.id, name=f"Espaces verts {slug}")
    site.team = f.TeamFactory(
        structure_id=structure.id, name=f"Équipe Nord {slug}", activity_id=site.activity.id
    )
    site.other_team = f.TeamFactory(structure_id=structure.id, name=f"Équipe Sud {slug}")
    f.TeamSupervisorFactory(
        structure_id=structure.id, team_id=site.team.id, membership_id=site.members["eti"].id
    )
    with tenancy.tenant_scope(db.session, structure.id):
        site.framework = f.make_framework(f"Savoir-être {slug}")
        site.draft = f.make_import_draft(site.members["coordinator"], f"Gestes {slug}")
    db.session.commit()
    referent = site.members["cip"]
    site.employee = f.make_employee(structure.id, site.team, referent, last_name=f"Nord{slug}")
    site.other_employee = f.make_employee(
        structure.id, site.other_team, referent, last_name=f"Sud{slug}"
    )
    add_followup(site)
    site.urgent = UrgentSituation(
        structure_id=structure.id,
        employee_id=site.employee.id,
        kind="conflit",
        text=f"Conflit sur le chantier {slug}",
        reported_by_id=site.members["eti"].id,
    )
    db.session.add(site.urgent)
    db.session.commit()
    site.review = f.ReviewFactory(
        structure_id=structure.id,
        employee_id=site.employee.id,
        kind="tripartite",
        status=ReviewStatus.VALIDATED,
        cip_synthesis=f"Parcours engagé {slug}",
    )
    site.unvalidated_review = f.ReviewFactory(
        structure_id=structure.id,
        employee_id=site.employee.id,
        kind="exit",
        status=ReviewStatus.READY,
        cip_synthesis=f"Sortie préparée {slug}",
    )
    add_evaluations(site)
    add_attestations(site)
    site.annex = FundingAnnex(
        structure_id=structure.id,
        kind="ACI",
        start_date=date(date.today().year, 1, 1),
        end_date=date(date.today().year, 12, 31),
        etp_conventioned=Decimal("8"),
    )
    db.session.add(site.annex)
    db.session.commit()
    with tenancy.tenant_scope(db.session, structure.id):
        site.annual_report = AnnualReport(
            structure_id=structure.id,
            year=date.today().year,
            status=BatchStatus.DONE,
            step=3,
            figures=report_service.figures(db.session, structure, date.today().year, date.today()),
            pdf=b"%PDF-1.7 copie de test",
            xlsx=b"PK copie de test",
        )
        db.session.add(site.annual_report)
        db.session.commit()
    return site


def add_attestations(site: Site) -> None:
    """attestations objects of the sweeps: on ``site.employee`` (the ETI's team)."""
    f.make_validated_assessment(
        site.employee, site.members["eti"], site.members["cip"], link_levels=False
    )
    site.attestation = f.make_attestation(
        site.employee, site.members["eti"], signer=site.members["director"]
    )
    site.attestation_batch = f.make_done_batch(site.members["director"], [site.attestation])


def add_evaluations(site: Site) -> None:
    """evaluations objects of the sweeps: on ``site.employee`` (the ETI's team). They point
    at no scale nor level, so that ``site.scale`` stays unused (the scale tests delete it);
    tests/evaluations/conftest.py gives them the scale."""
    grid = f.make_grid(site.framework, f"Grille {site.slug}", activity_id=site.activity.id)
    grid.scale_id = None
    assessment = f.make_assessment(site.members["eti"], site.employee, grid)
    assessment.scale_id = None
    competency = site.framework.competencies[0]
    goal = f.make_goal(site.members["eti"], site.employee, competency, site.scale.levels[3])
    goal.target_level_id = None
    site.evaluations = {
        "grid": grid,
        "grid_item": grid.items[0],
        "assessment": assessment,
        "assessment_item": assessment.items[0],
        "goal": goal,
        "seance": f.make_seance(site.members["eti"], site.employee, competency),
    }
    db.session.commit()


def add_followup(site: Site) -> None:
    """followup objects of the sweeps: on ``site.employee`` (the ETI's team)."""
    cip = site.members["cip"]
    partner = f.PartnerFactory(structure_id=site.structure.id, name=f"CCAS {site.slug}")
    f.PartnerContactFactory(structure_id=site.structure.id, partner_id=partner.id)
    barrier = f.make_barrier(site.employee, cip, "mobilite", comment="Pas de permis")
    checklist = f.make_checklist(site.employee)
    site.followup = {
        "partner": partner,
        "barrier": barrier,
        "axis": barrier.axis,
        "action": f.ActionFactory(
            structure_id=site.structure.id, employee_id=site.employee.id, partner_id=partner.id
        ),
        "item": next(i for i in checklist.items if not i.template_item.date_required),
        "objective": f.ObjectiveFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            barrier_id=barrier.id,
            label="Passer le code de la route",
        ),
        "interview": f.InterviewFactory(
            structure_id=site.structure.id, employee_id=site.employee.id, author_id=cip.id
        ),
    }


def add_other_team_records(site: Site) -> dict:
    """One record of each kind a URL reaches about ``site.other_employee``, the salarié of the
    team the site's ETI does not supervise, keyed by the URL argument that names it. Authored
    by the CIP and coordination, never by the ETI (whose own entries they may see)."""
    employee, cip, coordinator = (
        site.other_employee,
        site.members["cip"],
        site.members["coordinator"],
    )
    sid = site.structure.id
    barrier = f.make_barrier(employee, cip, "logement", comment="Hébergé chez un tiers")
    checklist = f.make_checklist(employee)
    urgent = UrgentSituation(
        structure_id=sid,
        employee_id=employee.id,
        kind="conflit",
        text=f"Conflit à l'atelier {site.slug}",
        reported_by_id=cip.id,
    )
    db.session.add(urgent)
    db.session.commit()
    assessment = f.make_assessment(coordinator, employee, site.evaluations["grid"])
    assessment.scale_id = None
    competency = site.framework.competencies[0]
    goal = f.make_goal(coordinator, employee, competency, site.scale.levels[3])
    goal.target_level_id = None
    db.session.commit()
    f.make_validated_assessment(employee, coordinator, cip, link_levels=False)
    site.other_records = {
        "employee_id": employee,
        "contract_id": employee.contracts[0],
        "pass_id": employee.passes[0],
        "barrier_id": barrier,
        "objective_id": f.ObjectiveFactory(
            structure_id=sid,
            employee_id=employee.id,
            barrier_id=barrier.id,
            label="Trouver un logement",
        ),
        "action_id": f.ActionFactory(
            structure_id=sid, employee_id=employee.id, partner_id=site.followup["partner"].id
        ),
        "item_id": next(i for i in checklist.items if not i.template_item.date_required),
        "interview_id": f.InterviewFactory(
            structure_id=sid, employee_id=employee.id, author_id=cip.id
        ),
        "urgent_id": urgent,
        "review_id": f.ReviewFactory(
            structure_id=sid,
            employee_id=employee.id,
            kind="tripartite",
            status=ReviewStatus.VALIDATED,
            cip_synthesis=f"Parcours à l'atelier {site.slug}",
        ),
        "attestation_id": f.make_attestation(
            employee, coordinator, signer=site.members["director"]
        ),
        "assessment_id": assessment,
        "assessment_item_id": assessment.items[0],
        "goal_id": goal,
        "seance_id": f.make_seance(coordinator, employee, competency),
    }
    db.session.commit()
    return site.other_records


@dataclass
class World:
    a: Site
    b: Site
    shared_user_membership_a: Membership
    shared_user_membership_b: Membership


def build_world() -> World:
    a = build_site("alpha", "ACI Alpha")
    b = build_site("beta", "Recyclerie Bêta")
    shared = f.UserFactory(email="deux.structures@example.org")
    ma = f.MembershipFactory(structure=a.structure, user=shared, roles=["eti"])
    mb = f.MembershipFactory(structure=b.structure, user=shared, roles=["cip"])
    return World(a=a, b=b, shared_user_membership_a=ma, shared_user_membership_b=mb)


def login(app, client, user) -> None:
    """Sign the client in as ``user`` without a password round-trip (speed)."""
    with app.test_request_context(headers={"User-Agent": "Werkzeug/test"}):
        identifier = login_manager._session_identifier_generator()
        # Its session row, as start_session opens one (the second factor counts as passed).
        row = user_sessions.open_session(db.session, user, "Werkzeug/test")
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["_id"] = identifier
        sess["started_at"] = time.time()
        sess[SESSION_ROW] = str(row.id)


def enrol_at_sign_in(client):
    """After a password, for a person who must enrol (direction, administration): scan the
    secret shown, confirm a code, note the recovery codes; the response that signs in."""
    page = text_of(client.get("/connexion/activer-double-authentification"))
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    code = pyotp.TOTP(secret).now()
    client.post("/connexion/activer-double-authentification", data={"code": code})
    return client.post("/connexion/codes-notes")


def text_of(response) -> str:
    """The response body with HTML entities decoded, as a person would read the text."""
    return html.unescape(response.get_data(as_text=True))
