"""The demo follow-up: every kind of object, alerts of each colour, loaded only once.

On the demo database (tests/demo_db.py), where `flask demo load` ran twice: nothing doubles.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.models import (
    Action,
    Barrier,
    BarrierAxis,
    DiagnosticNote,
    Interview,
    Membership,
    OnboardingItem,
    Partner,
    Role,
    Structure,
)
from siae_app.services import alerts
from tests.demo_db import structures as demo_structures

pytestmark = pytest.mark.demo


def test_demo_follow_up_is_varied_with_each_alert_colour(session):
    tenancy.activate_system(session)
    today = date.today()
    for structure in demo_structures(session):
        with tenancy.tenant_scope(session, structure.id):
            # nine of the directory, and the host of the demo immersion (PMSMP)
            assert session.scalar(select(func.count(Partner.id))) == 10
            sensitive = session.scalars(
                select(Barrier).join(BarrierAxis).where(BarrierAxis.is_sensitive.is_(True))
            ).all()
            assert sensitive
            cips = {m.id for m in session.scalars(select(Membership)) if Role.CIP in m.role_set}
            assert all(b.author_id in cips for b in sensitive)
            statuses = Counter(session.scalars(select(Barrier.status)))
            assert {"identifie", "en_cours", "leve"} <= set(statuses)
            assert session.scalar(
                select(func.count(DiagnosticNote.id)).where(DiagnosticNote.is_confidential)
            )
            assert session.scalar(
                select(func.count(Action.id)).where(Action.partner_id.is_not(None))
            )
            assert session.scalar(select(func.count(Interview.id)))
            done = session.scalar(
                select(func.count(OnboardingItem.id)).where(OnboardingItem.done_on.is_not(None))
            )
            total = session.scalar(select(func.count(OnboardingItem.id)))
            assert 0 < done < total
            coordinator = next(
                m for m in session.scalars(select(Membership)) if Role.COORDINATOR in m.role_set
            )
            lines = alerts.lines(alerts.load_inputs(session, coordinator, today), today)
            colours = {a.colour for line in lines for a in line.alerts}
            assert colours == {alerts.RED, alerts.AMBER, alerts.GREY}, structure.slug


def test_every_follow_up_page_renders_on_the_demo_data(session, client_for):
    """Smoke test over varied demo files: no page of the follow-up fails for any role."""
    from siae_app.models import Employee

    tenancy.activate_system(session)
    structure = session.scalar(select(Structure).where(Structure.slug == "jardins-du-val"))
    with tenancy.tenant_scope(session, structure.id):
        members = session.scalars(select(Membership)).all()
        employees = session.scalars(select(Employee).order_by(Employee.last_name)).all()
        barriers = session.scalars(select(Barrier).limit(6)).all()
        actions = session.scalars(select(Action).limit(3)).all()
        interviews = session.scalars(select(Interview).limit(3)).all()
    base = f"/s/{structure.slug}"
    urls = [f"{base}/alertes/", f"{base}/partenaires/", f"{base}/diagnostic/axes"]
    for e in employees[::6]:
        urls += [
            f"{base}/diagnostic/{e.id}",
            f"{base}/actions/salarie/{e.id}",
            f"{base}/accueil/{e.id}",
            f"{base}/accueil/{e.id}/resume",
            f"{base}/entretiens/salarie/{e.id}",
            f"{base}/salaries/{e.id}",
        ]
    urls += [f"{base}/diagnostic/freins/{b.id}" for b in barriers]
    urls += [f"{base}/actions/{a.id}" for a in actions]
    urls += [f"{base}/entretiens/{i.id}" for i in interviews]
    seen = []
    for member in members:
        client = client_for(member)
        for url in urls:
            status = client.get(url).status_code
            assert status in (200, 403, 404), (member.roles, url, status)
            seen.append(status)
    assert seen.count(200) > len(urls)  # most pages were really shown
