"""Accueil: default checklist, progress, who ticked and when, required dates, overdue."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import OnboardingItem
from tests import factories as f
from tests.site import text_of


def _item(checklist, key):
    return next(i for i in checklist.items if i.template_item.key == key)


def test_default_checklist_and_progress(world, client_for):
    site = world.a
    html = text_of(client_for(site.member("cip")).get(f"/s/{site.slug}/accueil/{site.employee.id}"))
    for label in (
        "Contrat signé",
        "Formation pratique à la sécurité",
        "Visite d'information et de prévention",
        "Notice d'information RGPD remise",
    ):
        assert label in html
    assert "0/9" in html
    # The world salarié arrived 120 days ago: the VIP (3 months) is late.
    assert "En retard" in html


def test_eti_ticks_an_item_with_htmx_and_sees_progress(world, client_for, session):
    site = world.a
    eti = site.member("eti")
    item = site.followup["item"]
    r = client_for(eti).post(
        f"/s/{site.slug}/accueil/elements/{item.id}", data={}, headers={"HX-Request": "true"}
    )
    html = text_of(r)
    assert r.status_code == 200 and html.lstrip().startswith('<section id="checklist"')
    assert "1/9" in html and eti.user.full_name in html
    session.refresh(item)
    assert item.done_on == date.today() and item.done_by_id == eti.id


def test_required_date_and_future_date_are_refused(world, client_for, session):
    site = world.a
    checklist = f.make_checklist(site.employee)
    security = _item(checklist, "formation_securite")
    client = client_for(site.member("eti"))
    r = client.post(f"/s/{site.slug}/accueil/elements/{security.id}", data={"done_on": ""})
    assert r.status_code == 422 and "Indiquez la date : elle est obligatoire" in text_of(r)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    r = client.post(f"/s/{site.slug}/accueil/elements/{security.id}", data={"done_on": tomorrow})
    html = text_of(r)
    assert r.status_code == 422 and "dans le futur" in html and tomorrow in html
    session.refresh(security)
    assert security.done_on is None


def test_untick_and_scope(world, client_for, session):
    site = world.a
    item = site.followup["item"]
    client = client_for(site.member("cip"))
    client.post(f"/s/{site.slug}/accueil/elements/{item.id}", data={})
    r = client.post(f"/s/{site.slug}/accueil/elements/{item.id}", data={"undo": "y"})
    assert r.status_code == 303
    session.refresh(item)
    assert item.done_on is None
    other = f.make_checklist(site.other_employee).items[0]
    eti = client_for(site.member("eti"))
    assert eti.post(f"/s/{site.slug}/accueil/elements/{other.id}", data={}).status_code == 404
    assert eti.get(f"/s/{site.slug}/accueil/{site.other_employee.id}").status_code == 404


def test_coordinator_edits_the_template(world, client_for, session):
    site = world.a
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"/s/{site.slug}/accueil/modele",
        data={"label": "Badge remis", "responsible": "administration", "due_days": "2"},
    )
    assert r.status_code == 303
    html = text_of(client.get(f"/s/{site.slug}/accueil/{site.employee.id}"))
    assert "Badge remis" in html and "0/10" in html
    r = client.post(
        f"/s/{site.slug}/accueil/modele",
        data={"label": "Trop tard", "responsible": "cip", "due_days": "999"},
    )
    assert r.status_code == 422 and "De 0 à 365 jours." in text_of(r)
    assert client_for(site.member("cip")).get(f"/s/{site.slug}/accueil/modele").status_code == 403
    count = session.scalar(
        select(OnboardingItem.id).where(OnboardingItem.employee_id == world.b.employee.id)
    )
    assert count is not None  # beta's own checklist is untouched by alpha's template


def test_the_file_shows_accueil_progress_and_overdue_items(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    page = text_of(client.get(f"/s/{site.slug}/salaries/{site.employee.id}"))
    assert f"/s/{site.slug}/accueil/{site.employee.id}/resume" in page
    r = client.get(
        f"/s/{site.slug}/accueil/{site.employee.id}/resume", headers={"HX-Request": "true"}
    )
    html = text_of(r)
    assert html.lstrip().startswith('<p id="accueil-resume">')
    assert "0/9" in html and "en retard" in html and "Visite d'information et de prévention" in html
