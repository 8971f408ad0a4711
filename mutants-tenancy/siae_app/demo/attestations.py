"""Demo attestations (synthetic): signed attestations for salariés who left, one waiting for
the direction's signature, and the structure's identity (SIRET, address) printed on them.

An attestation needs a validated assessment: one is created here only for a salarié who has
none. Idempotent: a salarié who already has an attestation is left as they are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.jobs import flask_context
from siae_app.models import Action, Employee, Membership, Role, Structure
from siae_app.models.attestations import Attestation
from siae_app.models.evaluations import Assessment, AssessmentItem
from siae_app.models.frameworks import Competency, Framework
from siae_app.models.scales import Scale
from siae_app.models.teams import Team
from siae_app.services.attestations import compose, signing

IDENTITY = {
    "jardins-du-val": ("84213567901002", "14 allée des Maraîchers, 45800 Saint-Jean-de-Braye"),
    "recyclerie-etabli": ("79531048621007", "58 rue Francis-de-Pressensé, 69100 Villeurbanne"),
}
SIGNED_LEAVERS = 3
DONE_ACTIONS = (
    ("Formation Sauveteur Secouriste du Travail (SST)", "formation"),
    ("PMSMP de deux semaines en entreprise", "pmsmp"),
)


def _member(session: Session, structure: Structure, role: Role) -> Membership | None:
    for m in session.scalars(
        select(Membership).where(Membership.structure_id == structure.id).order_by(Membership.id)
    ):
        if role.value in (m.roles or []):
            return m
    return None


def _framework(session: Session, employee: Employee) -> Framework | None:
    team = session.get(Team, employee.team_id) if employee.team_id else None
    if team is not None and team.activity is not None:
        technical = session.scalar(
            select(Framework).where(
                Framework.title == f"{team.activity.name} : gestes professionnels"
            )
        )
        if technical is not None:
            return technical
    return session.scalar(select(Framework).where(Framework.title == "Savoir-être professionnels"))


def _validated_assessment(session, employee, framework, eti, cip) -> Assessment:
    existing = compose.latest_validated_assessment(session, employee.id)
    if existing is not None:
        return existing
    scale = session.scalar(select(Scale).where(Scale.is_default.is_(True)))
    levels = {lvl.code: lvl for lvl in scale.levels}
    competencies = session.scalars(
        select(Competency)
        .where(Competency.framework_id == framework.id, Competency.is_archived.is_(False))
        .order_by(Competency.position)
    ).all()
    on = (employee.exit_date or date.today()) - timedelta(days=10)
    at = datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
    assessment = Assessment(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        scale_id=scale.id,
        grid_name=framework.title,
        kind="final",
        assessed_on=on,
        author_id=eti.id,
        seen_with_employee_at=at,
        seen_with_employee_by_id=eti.id,
        eti_validated_at=at,
        eti_validated_by_id=eti.id,
        cip_validated_at=at + timedelta(days=1),
        cip_validated_by_id=cip.id,
        locked_at=at + timedelta(days=1),
    )
    for n, competency in enumerate(competencies):
        level = levels["M"] if n % 4 == 0 else levels["A"] if n % 4 != 3 else levels["ECA"]
        assessment.items.append(
            AssessmentItem(
                structure_id=employee.structure_id,
                competency_id=competency.id,
                position=n,
                label=competency.title,
                source_label=framework.title,
                level_id=level.id,
                level_label=level.label,
                level_rank=level.position,
                counts_as_acquired=level.counts_as_acquired,
            )
        )
    session.add(assessment)
    session.flush()
    return assessment


def _training(session: Session, employee: Employee) -> None:
    """A training and an immersion done before the exit: both appear on the attestation."""
    done = set(
        session.scalars(
            select(Action.label).where(
                Action.employee_id == employee.id, Action.label.in_(dict(DONE_ACTIONS))
            )
        )
    )
    end = employee.exit_date or date.today()
    for (label, nature), days_before in zip(DONE_ACTIONS, (40, 75), strict=True):
        if label not in done:
            session.add(
                Action(
                    structure_id=employee.structure_id,
                    employee_id=employee.id,
                    label=label,
                    nature=nature,
                    status="faite",
                    due_date=end - timedelta(days=days_before),
                )
            )
    session.flush()


def _attest(session, structure, employee, staff, *, sign: bool) -> None:
    eti, cip, director = staff
    framework = _framework(session, employee)
    if framework is None:
        return
    _validated_assessment(session, employee, framework, eti, cip)
    _training(session, employee)
    attestation = compose.propose(session, employee, eti, omit_insertion_word=sign)
    if not sign:
        return
    signing.sign(
        session,
        attestation,
        director,
        structure,
        signer_name=director.user.full_name,
        signed_on=min(employee.exit_date or date.today(), date.today()),
        signed_place=structure.city or "",
    )


def load_demo_attestations(session: Session, structure: Structure) -> None:
    """For the structure active in ``session``. The PDFs are rendered from templates: an
    application context is made when the caller has none (ending it may reset the
    session's scope, so the structure is activated again)."""
    tenant = tenancy.current_tenant(session)
    with flask_context():
        _load(session, structure)
    tenancy.activate(session, tenant)


def _load(session: Session, structure: Structure) -> None:
    siret, address = IDENTITY.get(structure.slug, (None, None))
    if structure.siret is None and siret:
        structure.siret, structure.address = siret, address
    staff = tuple(_member(session, structure, r) for r in (Role.ETI, Role.CIP, Role.DIRECTOR))
    if None in staff:
        return
    attested = set(session.scalars(select(Attestation.employee_id)))
    employees = session.scalars(
        select(Employee).order_by(Employee.exit_date.desc(), Employee.last_name)
    ).all()
    leavers = [e for e in employees if e.exit_date and e.team_id][:SIGNED_LEAVERS]
    current = [e for e in employees if not e.exit_date and e.team_id][:1]
    for employee in leavers:
        if employee.id not in attested:
            _attest(session, structure, employee, staff, sign=True)
    for employee in current:
        if employee.id not in attested:
            _attest(session, structure, employee, staff, sign=False)
