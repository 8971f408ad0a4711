"""The access policy (the README's table « Qui voit quoi »), in one place.

Deny by default: a view under /s/<slug>/ must be decorated with ``require(Perm.X)``; the role
matrix test fails for any structure endpoint without one. An object of another structure is
never found (404, see tenancy); a missing role is a 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from flask import abort, g

from siae_app.models import Membership, Role

ALL_STAFF = frozenset({Role.ETI, Role.CIP, Role.COORDINATOR, Role.DIRECTOR})


class Perm(enum.StrEnum):
    HOME = "home"
    TEAMS_VIEW = "teams.view"
    TEAMS_MANAGE = "teams.manage"
    PILOTAGE_VIEW = "pilotage.view"
    FUNDING_MANAGE = "funding.manage"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    MEMBERS_APPROVE = "members.approve"
    FRAMEWORKS_VIEW = "frameworks.view"
    FRAMEWORKS_MANAGE = "frameworks.manage"
    EMPLOYEES_VIEW = "employees.view"
    EMPLOYEES_EDIT = "employees.edit"
    EMPLOYEES_ELIGIBILITY_VIEW = "employees.eligibility_view"
    EMPLOYEES_SENSITIVE_VIEW = "employees.sensitive_view"
    EMPLOYEES_SENSITIVE_WRITE = "employees.sensitive_write"
    EMPLOYEES_HISTORY_VIEW = "employees.history_view"
    EMPLOYEES_EXPORT = "employees.export"
    SUBJECT_ACCESS_EXPORT = "employees.subject_access_export"
    ACCESS_LOG_VIEW = "access_log.view"
    ELIGIBILITY_MANAGE = "eligibility.manage"
    # The renewal circuit of a CDDI: ETI → CIP → direction.
    RENEWAL_VIEW = "renewal.view"
    RENEWAL_OPINION = "renewal.opinion"
    RENEWAL_PROPOSE = "renewal.propose"
    RENEWAL_DECIDE = "renewal.decide"
    # The follow-up: diagnostic, actions, partners, accueil, entretiens, alerts.
    DIAGNOSTIC_VIEW = "diagnostic.view"
    DIAGNOSTIC_EDIT = "diagnostic.edit"
    DIAGNOSTIC_SENSITIVE_READ = "diagnostic.sensitive_read"
    DIAGNOSTIC_SENSITIVE_WRITE = "diagnostic.sensitive_write"
    DIAGNOSTIC_AXES_MANAGE = "diagnostic.axes_manage"
    ACTIONS_VIEW = "actions.view"
    ACTIONS_EDIT = "actions.edit"
    PARTNERS_VIEW = "partners.view"
    PARTNERS_MANAGE = "partners.manage"
    ONBOARDING_VIEW = "onboarding.view"
    ONBOARDING_EDIT = "onboarding.edit"
    ONBOARDING_TEMPLATE_MANAGE = "onboarding.template_manage"
    INTERVIEWS_VIEW = "interviews.view"
    INTERVIEWS_EDIT = "interviews.edit"
    ALERTS_VIEW = "alerts.view"
    # The chantier: attendance, observations, urgent situations.
    ATTENDANCE_TODAY = "attendance.today"
    ATTENDANCE_MARK = "attendance.mark"
    ATTENDANCE_GRID = "attendance.grid"
    ATTENDANCE_NAMED = "attendance.named"
    OBSERVATIONS_VIEW = "observations.view"
    OBSERVATIONS_WRITE = "observations.write"
    OBSERVATIONS_SENSITIVE_VIEW = "observations.sensitive_view"
    URGENT_REPORT = "urgent.report"
    URGENT_HANDLE = "urgent.handle"
    # The documents: evaluations, bilans, attestations.
    EVALUATIONS_VIEW = "evaluations.view"
    EVALUATIONS_WRITE = "evaluations.write"
    EVALUATIONS_VALIDATE_CIP = "evaluations.validate_cip"
    GRIDS_MANAGE = "grids.manage"
    REVIEWS_VIEW = "reviews.view"
    REVIEWS_CONTRIBUTE = "reviews.contribute"
    REVIEWS_PREPARE = "reviews.prepare"
    REVIEWS_DISCLOSE = "reviews.disclose"
    ATTESTATIONS_VIEW = "attestations.view"
    ATTESTATIONS_PROPOSE = "attestations.propose"
    ATTESTATIONS_SIGN = "attestations.sign"
    ATTESTATIONS_EXPORT = "attestations.export"
    STRUCTURE_IDENTITY_MANAGE = "structure.identity_manage"
    # The register of personal data (« Registre des traitements ») and its durations.
    PRIVACY_VIEW = "privacy.view"
    PRIVACY_MANAGE = "privacy.manage"
    PRIVACY_REQUESTS = "privacy.requests"
    PRIVACY_ANSWER = "privacy.answer"
    PERSONAL_SPACE_MANAGE = "personal_space.manage"


POLICY: dict[Perm, frozenset[Role]] = {
    Perm.HOME: frozenset(Role),
    # Teams carry the employees (identity, contract, team): ETI read, CIP/coordination write,
    # direction read; the administrator alone sees no one.
    Perm.TEAMS_VIEW: ALL_STAFF,
    Perm.TEAMS_MANAGE: frozenset({Role.CIP, Role.COORDINATOR}),
    # The direction's month and year: dashboard, monthly follow-up, annual report (read),
    # and what they are computed from: the annexes financières and the paid hours (write).
    Perm.PILOTAGE_VIEW: frozenset({Role.COORDINATOR, Role.DIRECTOR}),
    Perm.FUNDING_MANAGE: frozenset({Role.COORDINATOR, Role.DIRECTOR}),
    Perm.MEMBERS_VIEW: frozenset({Role.DIRECTOR, Role.ADMIN}),
    Perm.MEMBERS_MANAGE: frozenset({Role.ADMIN}),
    # A role reading personal data asked by an administrator waits for a second person: the
    # direction or another administrator answers (services/accounts/approvals.py says who).
    Perm.MEMBERS_APPROVE: frozenset({Role.DIRECTOR, Role.ADMIN}),
    Perm.FRAMEWORKS_VIEW: frozenset(Role),
    Perm.FRAMEWORKS_MANAGE: frozenset({Role.COORDINATOR, Role.ADMIN}),
    # Salariés: listed for the ETI (own teams, see scopes.employees), CIP,
    # coordination and direction; identity, contract, team, PASS, sortie and aménagements
    # written by CIP and coordination. The administrator sees no one.
    Perm.EMPLOYEES_VIEW: ALL_STAFF,
    Perm.EMPLOYEES_EDIT: frozenset({Role.CIP, Role.COORDINATOR}),
    # Eligibility criteria (RSA, AAH...) are an administrative file, not the chantier's.
    Perm.EMPLOYEES_ELIGIBILITY_VIEW: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    # Sensitive (handicap: TH/AAH criteria, RQTH motifs): CIP read/write, coordination read.
    # Writing is its own permission because EMPLOYEES_EDIT (the criteria form, the contract,
    # the PASS, the renewal proposal) is coordination's too: only the CIP, who holds the
    # disclosure, sets, changes or takes away a criterion or motif revealing a handicap.
    Perm.EMPLOYEES_SENSITIVE_VIEW: frozenset({Role.CIP, Role.COORDINATOR}),
    Perm.EMPLOYEES_SENSITIVE_WRITE: frozenset({Role.CIP}),
    Perm.EMPLOYEES_HISTORY_VIEW: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    Perm.EMPLOYEES_EXPORT: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    # « Données détenues » (RGPD, droit d'accès): everything held about one salarié, for those
    # who answer the person's request; sensitive content only as far as each role reads it.
    Perm.SUBJECT_ACCESS_EXPORT: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    Perm.ACCESS_LOG_VIEW: frozenset({Role.DIRECTOR, Role.ADMIN}),
    # The structure's list of eligibility criteria (a setting of the structure).
    Perm.ELIGIBILITY_MANAGE: frozenset({Role.COORDINATOR}),
    # Renouvellement: the ETI gives an opinion (own teams, see scopes.employees), the CIP
    # proposes, the direction decides; coordination stands in for the ETI or the CIP. All
    # who see the file read the circuit.
    Perm.RENEWAL_VIEW: ALL_STAFF,
    Perm.RENEWAL_OPINION: frozenset({Role.ETI, Role.COORDINATOR}),
    Perm.RENEWAL_PROPOSE: frozenset({Role.CIP, Role.COORDINATOR}),
    Perm.RENEWAL_DECIDE: frozenset({Role.DIRECTOR}),
    # Atouts, freins (non-sensitive): ETI/CIP/coordination read/write, direction read.
    Perm.DIAGNOSTIC_VIEW: ALL_STAFF,
    Perm.DIAGNOSTIC_EDIT: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    # Sensitive freins & confidential notes: CIP read/write, coordination read, the ETI
    # writes and then sees only their own entries, direction and administration never.
    Perm.DIAGNOSTIC_SENSITIVE_READ: frozenset({Role.CIP, Role.COORDINATOR}),
    Perm.DIAGNOSTIC_SENSITIVE_WRITE: frozenset({Role.CIP, Role.ETI}),
    Perm.DIAGNOSTIC_AXES_MANAGE: frozenset({Role.CIP, Role.COORDINATOR}),
    # Actions are the proof of accompaniment: those who follow the salarié write them.
    Perm.ACTIONS_VIEW: ALL_STAFF,
    Perm.ACTIONS_EDIT: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    Perm.PARTNERS_VIEW: ALL_STAFF,
    Perm.PARTNERS_MANAGE: frozenset({Role.CIP, Role.COORDINATOR}),
    # Accueil: every staff member ticks the items they are responsible for; the checklist
    # template is edited like the other structure lists (coordination, administration).
    Perm.ONBOARDING_VIEW: ALL_STAFF,
    Perm.ONBOARDING_EDIT: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    Perm.ONBOARDING_TEMPLATE_MANAGE: frozenset({Role.COORDINATOR, Role.ADMIN}),
    # Entretiens individuels are the CIP's (coordination reads and writes, direction reads).
    Perm.INTERVIEWS_VIEW: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    Perm.INTERVIEWS_EDIT: frozenset({Role.CIP, Role.COORDINATOR}),
    Perm.ALERTS_VIEW: frozenset({Role.CIP, Role.COORDINATOR}),
    # Attendance: written by the ETI (own teams, see scopes) and coordination, read by the
    # CIP, read as aggregates (no names) by direction.
    Perm.ATTENDANCE_TODAY: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    Perm.ATTENDANCE_MARK: frozenset({Role.ETI, Role.COORDINATOR}),
    Perm.ATTENDANCE_GRID: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    Perm.ATTENDANCE_NAMED: frozenset({Role.CIP, Role.COORDINATOR}),
    # Observations: ETI write and read their teams'; CIP read/write; coordination and
    # direction read. Sensitive ones: their author, the CIP and coordination only.
    Perm.OBSERVATIONS_VIEW: ALL_STAFF,
    Perm.OBSERVATIONS_WRITE: frozenset({Role.ETI, Role.CIP}),
    Perm.OBSERVATIONS_SENSITIVE_VIEW: frozenset({Role.CIP, Role.COORDINATOR}),
    # Urgent situations: flagged from the chantier, handled by the CIP and coordination.
    Perm.URGENT_REPORT: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    Perm.URGENT_HANDLE: frozenset({Role.CIP, Role.COORDINATOR}),
    # Evaluations and goals: ETI (own teams) and coordination write, CIP and direction read;
    # the CIP gives their validation of an assessment.
    Perm.EVALUATIONS_VIEW: ALL_STAFF,
    Perm.EVALUATIONS_WRITE: frozenset({Role.ETI, Role.COORDINATOR}),
    Perm.EVALUATIONS_VALIDATE_CIP: frozenset({Role.CIP}),
    Perm.GRIDS_MANAGE: frozenset({Role.COORDINATOR}),
    # Bilans: the ETI writes their section, the CIP prepares, holds and validates them,
    # coordination reads and writes, direction reads. Only the CIP puts a sensitive item in a
    # copy that leaves the structure.
    Perm.REVIEWS_VIEW: ALL_STAFF,
    Perm.REVIEWS_CONTRIBUTE: frozenset({Role.ETI, Role.CIP, Role.COORDINATOR}),
    Perm.REVIEWS_PREPARE: frozenset({Role.CIP, Role.COORDINATOR}),
    Perm.REVIEWS_DISCLOSE: frozenset({Role.CIP}),
    # Attestations: proposed by the ETI or coordination, read by the CIP, signed and exported
    # by the direction.
    Perm.ATTESTATIONS_VIEW: ALL_STAFF,
    Perm.ATTESTATIONS_PROPOSE: frozenset({Role.ETI, Role.COORDINATOR}),
    Perm.ATTESTATIONS_SIGN: frozenset({Role.DIRECTOR}),
    Perm.ATTESTATIONS_EXPORT: frozenset({Role.DIRECTOR}),
    # The identity printed on documents (name, SIRET, address, logo).
    Perm.STRUCTURE_IDENTITY_MANAGE: frozenset({Role.DIRECTOR, Role.ADMIN}),
    # The register of personal data: read by those who answer for the structure's data
    # (direction, administration, coordination); its durations are the direction's choice.
    Perm.PRIVACY_VIEW: frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN}),
    Perm.PRIVACY_MANAGE: frozenset({Role.DIRECTOR}),
    # A salarié's requests about their data: written down by whoever receives them (CIP,
    # coordination, direction); answered, and an erasure done, by the direction.
    Perm.PRIVACY_REQUESTS: frozenset({Role.CIP, Role.COORDINATOR, Role.DIRECTOR}),
    Perm.PRIVACY_ANSWER: frozenset({Role.DIRECTOR}),
    # The salarié's own space: the link and the code are given, reopened and closed by the
    # people who accompany them (CIP, coordination), beside the salarié.
    Perm.PERSONAL_SPACE_MANAGE: frozenset({Role.CIP, Role.COORDINATOR}),
}


def allowed(membership: Membership | None, perm: Perm) -> bool:
    if membership is None or not membership.is_active:
        return False
    return bool(membership.role_set & POLICY[perm])


def require(perm: Perm) -> Callable:
    """Decorator for structure views: 403 unless the current membership holds the permission."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not allowed(g.get("membership"), perm):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = perm  # read by the role-matrix test
        return wrapped

    return decorator


def can(perm: Perm) -> bool:
    """Template helper: does the current membership hold ``perm``?"""
    return allowed(g.get("membership"), perm)
