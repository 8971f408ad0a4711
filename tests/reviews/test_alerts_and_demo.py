"""« Bilan en retard » in the CIP's alerts; the demo bilans; the sensitive view is logged."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.models import AccessLog, ReviewStatus
from siae_app.models.reviews import REVIEW_KINDS, Review
from siae_app.services import alerts
from siae_app.services.employees.dates import add_months, fr_date
from tests import factories as f
from tests.demo_db import structures as demo_structures
from tests.site import text_of


def _review_alerts(session, site, employee):
    with tenancy.tenant_scope(session, site.structure.id):
        inputs = alerts.load_inputs(
            session, site.member("cip"), date.today(), employee_ids=[employee.id]
        )
        return [a.message for a in alerts.compute(inputs[0], date.today()) if a.kind == "bilan"]


def test_a_bilan_past_its_date_with_none_opened_is_late_until_it_is_opened(
    world, client_for, session
):
    site = world.a
    employee = site.other_employee  # entered 120 days ago, no bilan yet
    entry = employee.entry_date
    messages = _review_alerts(session, site, employee)
    assert len(messages) == 1
    assert messages[0].startswith("Bilan en retard : bilan d'intégration (prévu le")
    assert fr_date(add_months(entry, 1)) in messages[0]
    page = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/alertes/"))
    assert "Bilan en retard" in page
    r = client_for(site.member("cip")).post(
        f"/s/{site.slug}/bilans/salarie/{employee.id}",
        data={"kind": "integration", "due_on": add_months(entry, 1).isoformat()},
    )
    assert r.status_code == 303
    assert _review_alerts(session, site, employee) == []


@pytest.mark.demo
def test_demo_has_bilans_of_each_type_some_validated_and_loads_once(session, demo_db):
    tenancy.activate_system(session)
    first, second = demo_db.loads  # `flask demo load`, twice (tests/demo_db.py)
    before = first.counts[Review.__tablename__]
    assert second.counts[Review.__tablename__] == before
    assert session.scalar(select(func.count(Review.id))) == before
    for structure in demo_structures(session):
        with tenancy.tenant_scope(session, structure.id):
            kinds = Counter(session.scalars(select(Review.kind)))
            statuses = Counter(session.scalars(select(Review.status)))
            assert set(kinds) == set(REVIEW_KINDS), kinds
            assert statuses[ReviewStatus.VALIDATED] and statuses[ReviewStatus.DRAFT], statuses


def test_showing_sensitive_items_writes_the_access_log(world, client_for, session):
    site = world.a
    f.make_barrier(site.employee, site.member("cip"), "sante", comment="Suivi au CMP")
    url = f"/s/{site.slug}/bilans/{site.review.id}"
    client_for(site.member("cip")).get(url)
    client_for(site.member("director")).get(url)
    logged = session.scalars(select(AccessLog).where(AccessLog.part == "reviews.review")).all()
    seen = {a.membership_id: a.sensitive for a in logged}
    assert seen == {site.member("cip").id: True, site.member("director").id: False}


def test_prolongation_template_keeps_sensitive_needs_inside_data_sensitive(world, client_for):
    from tests.diagnostic.helpers import inside_sensitive, outside_sensitive

    site = world.a
    review = f.ReviewFactory(
        structure_id=site.structure.id, employee_id=site.employee.id, kind="prolongation"
    )
    url = f"/s/{site.slug}/bilans/{review.id}"
    cip = client_for(site.member("cip"))
    r = cip.post(
        url + "/prolongation",
        data={
            "need_sante": "--",
            "need_mobilite": "+",
            "requested_months": "6",
            "prolongation_motif": "fin_formation",
            "actions_done": "Code de la route obtenu.",
        },
    )
    assert r.status_code == 303
    html = cip.get(url).get_data(as_text=True)
    assert 'name="need_sante"' in inside_sensitive(html)
    assert 'name="need_sante"' not in outside_sensitive(html)
    r = cip.post(url + "/prolongation", data={"requested_months": "18"})
    assert r.status_code == 422 and "De 1 à 12 mois." in text_of(r)
    eti_html = client_for(site.member("eti")).get(url).get_data(as_text=True)
    assert "Code de la route obtenu." in eti_html and "Santé" not in eti_html
    assert review.needs == {"sante": "--", "mobilite": "+"}
    assert review.requested_months == 6


def test_a_bilan_opened_without_a_date_answers_the_expected_one(world, client_for, session):
    site = world.a
    employee = site.other_employee
    r = client_for(site.member("cip")).post(
        f"/s/{site.slug}/bilans/salarie/{employee.id}", data={"kind": "integration"}
    )
    assert r.status_code == 303
    review = session.scalar(select(Review).where(Review.employee_id == employee.id))
    assert review.due_on == add_months(employee.entry_date, 1)
    assert _review_alerts(session, site, employee) == []
    page = text_of(client_for(site.member("cip")).get(r.location + "/pdf", follow_redirects=True))
    assert "Le PDF est disponible une fois le bilan validé." in page


def test_the_next_appointment_fixed_by_a_bilan_counts(world, session):
    site = world.a
    employee = site.other_employee

    def appointment_alerts():
        with tenancy.tenant_scope(session, site.structure.id):
            inputs = alerts.load_inputs(
                session, site.member("cip"), date.today(), employee_ids=[employee.id]
            )
            return [a for a in alerts.compute(inputs[0], date.today()) if a.kind == "rendez_vous"]

    assert appointment_alerts()
    f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        next_appointment_on=date.today() + timedelta(days=20),
    )
    assert appointment_alerts() == []


def _schedule_row(client, site, employee, label: str) -> str:
    """The text of the schedule's line of that bilan (« Calendrier des bilans »)."""
    page = text_of(client.get(f"/s/{site.slug}/bilans/salarie/{employee.id}"))
    schedule = page.split("Calendrier des bilans", 1)[1].split("Bilans ouverts", 1)[0]
    rows = [row for row in schedule.split("<li") if f"<strong>{label}</strong>" in row]
    assert len(rows) == 1, rows
    return " ".join(re.sub(r"<[^>]+>", " ", rows[0]).split())


def test_a_later_validated_bilan_replaces_a_missing_one_in_alerts_and_schedule(
    world, client_for, session
):
    """The bilan d'intégration was never held, but a later bilan of the parcours is validated:
    no « Bilan en retard » any more, and the schedule says « Remplacé », not « En retard »."""
    site = world.a
    employee = site.other_employee  # entered 120 days ago: intégration due 90 days ago
    client = client_for(site.member("cip"))
    row = _schedule_row(client, site, employee, "Bilan d'intégration")
    assert "En retard" in row and "Ouvrir ce bilan" in row
    assert len(_review_alerts(session, site, employee)) == 1
    f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        kind="exit",
        status=ReviewStatus.VALIDATED,
        due_on=date.today() - timedelta(days=10),
    )
    session.commit()
    assert _review_alerts(session, site, employee) == []
    row = _schedule_row(client, site, employee, "Bilan d'intégration")
    assert "Remplacé" in row and "En retard" not in row and "Ouvrir ce bilan" not in row
    assert "Un bilan ultérieur est validé : Bilan de sortie du" in row


def test_the_schedule_shows_the_status_of_the_bilan_answering_it(world, client_for, session):
    site = world.a
    employee = site.other_employee
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        kind="integration",
        status=ReviewStatus.VALIDATED,
        due_on=add_months(employee.entry_date, 1),
    )
    session.commit()
    client = client_for(site.member("cip"))
    row = _schedule_row(client, site, employee, "Bilan d'intégration")
    assert "Validé" in row and "Ouvert" not in row and "Ouvrir ce bilan" not in row
    review.status = ReviewStatus.READY
    session.commit()
    row = _schedule_row(client, site, employee, "Bilan d'intégration")
    assert "Prêt" in row and "Ouvert" not in row
