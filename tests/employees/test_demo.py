"""The demo salariés: enough of them, varied, synthetic, and loaded only once.

On the demo database (tests/demo_db.py), where `flask demo load` ran twice: nothing doubles.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import (
    Contract,
    Employee,
    EvidenceFile,
    ExitHandoverItem,
    Framework,
    Immersion,
    PassIae,
    PassStatus,
    RenewalStatus,
)
from siae_app.models.personal_space import PersonalAccess
from siae_app.services import renewals
from siae_app.services.certification import coverage
from siae_app.services.employees import handover, pass_iae
from siae_app.services.employees.dates import add_months
from tests.demo_db import structures as demo_structures

pytestmark = pytest.mark.demo


def _months_ago(months: int) -> date:
    return add_months(date.today(), -months)


def test_demo_salaries_are_varied_and_idempotent(session):
    tenancy.activate_system(session)
    for structure in demo_structures(session):
        with tenancy.tenant_scope(session, structure.id):
            employees = session.scalars(select(Employee)).all()
            assert len(employees) == 46, structure.slug  # 44, and two who left years ago
            kinds = Counter(e.exit_kind for e in employees if e.exit_kind)
            assert set(kinds) == {"emploi_durable", "emploi_transition", "sortie_positive", "autre"}
            assert all(e.team_id and e.referent_id for e in employees)
            assert (
                session.scalar(
                    select(func.count(Contract.id)).where(Contract.parent_id.is_not(None))
                )
                > 5
            )
            # One salarié left and came back: the first sortie is kept, a new contract runs.
            [back] = [e for e in employees if e.previous_stays]
            [stay] = back.previous_stays
            assert stay.exit_date < back.entry_date and back.exit_date is None
            assert back.contracts[-1].start_date == back.entry_date
            # Six months after their sortie: one situation recorded, one still to be asked.
            [followed] = [e for e in employees if e.exit_followups]
            assert followed.exit_followups[0].kind_label == "Emploi durable"
            due = [
                e
                for e in employees
                if e.exit_date and _months_ago(7) < e.exit_date <= _months_ago(6)
            ]
            assert len(due) == 1 and not due[0].exit_followups  # the CIP's amber alert
            statuses = Counter(pass_iae.status(p) for p in session.scalars(select(PassIae)))
            assert statuses[PassStatus.SUSPENDED] >= 1
            assert all(e.email is None or e.email.endswith("@example.org") for e in employees)
    assert db


def test_demo_has_one_leaver_with_the_handover_partly_done(session):
    tenancy.activate_system(session)
    for structure in demo_structures(session):
        with tenancy.tenant_scope(session, structure.id):
            rows = session.scalars(select(ExitHandoverItem)).all()
            assert len({r.employee_id for r in rows}) == 1, structure.slug
            employee = session.get(Employee, rows[0].employee_id)
            checklist = handover.handover(session, employee)
            assert (checklist.done, checklist.total) == (3, 6)
            assert all(r.done_by_id == employee.referent_id for r in rows)
            assert all(r.done_on <= date.today() for r in rows)


def test_demo_has_an_immersion_renewed_once_renewals_in_progress_and_a_salarie_near_a_ccp(
    session,
):
    tenancy.activate_system(session)
    for structure in demo_structures(session):
        with tenancy.tenant_scope(session, structure.id):
            rows = session.scalars(select(Immersion).order_by(Immersion.start_date)).all()
            first, renewal = rows
            assert first.objectives_reached == "non" and first.renewal_of_id is None
            assert renewal.renewal_of_id == first.id and renewal.job_offer is True
            assert renewal.partner.name == "Pépinière des Coteaux"
            # renewals: one waiting for the CIP, one for the direction, others for the ETI
            circuits = renewals.open_circuits(session, select(Employee), structure, date.today())
            stages = Counter(c.stage for c in circuits)
            assert stages[RenewalStatus.PROPOSAL] == 1
            assert stages[RenewalStatus.DECISION] == 1
            assert stages[RenewalStatus.OPINION] >= 1
            waiting = next(c for c in circuits if c.stage == RenewalStatus.DECISION).row
            assert waiting.opinion_by_id and waiting.proposal_by_id and waiting.proposal
            # The ETI REAC, read from its text; one salarié 3 of 4 on its first CCP.
            [reac] = session.scalars(select(Framework).where(Framework.source == "reac")).all()
            assert reac.title.startswith("Encadrant technique d") and len(reac.blocks) == 3
            employees = session.scalars(select(Employee).where(Employee.exit_date.is_(None)))
            first, second = coverage.close_to_a_block(session, reac, employees)[:2]
            assert first.is_close and first.best.label == "AT 1" and second.best is None
            assert first.best.figure == "3 sur 4 (75 %)"
            # Two observations cover CP 1 and CP 2's criteria; the sensitive one, nothing.
            found = coverage.coverage(session, first.employee, reac)
            covered = [c.criteria_covered for c in found.blocks]
            cp1, cp2 = reac.blocks[0].competencies[:2]
            assert covered == [len(cp1.criteria) + len(cp2.criteria), 0, 0]
            # Their dossier de preuves holds the two observations, offered in their space.
            [dossier] = session.scalars(select(EvidenceFile)).all()
            assert dossier.employee_id == first.employee.id and dossier.offered_in_space
            assert sorted(i.kind for i in dossier.items) == ["observation", "observation"]
            access = session.scalar(
                select(PersonalAccess).where(PersonalAccess.employee_id == first.employee.id)
            )
            assert access is not None and access.revoked_at is None
