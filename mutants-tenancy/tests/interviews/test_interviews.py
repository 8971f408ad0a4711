"""Entretiens: record, dates in order, closed means locked, reopening needs a motif."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import ChangeRecord, Interview
from tests.site import text_of


def test_record_close_and_reopen_with_motif(world, client_for, session):
    site = world.a
    client = client_for(site.member("cip"))
    today = date.today()
    r = client.post(
        f"/s/{site.slug}/entretiens/salarie/{site.employee.id}",
        data={
            "held_on": today.isoformat(),
            "kind": "periode_essai",
            "summary": "Bonne intégration dans l'équipe.",
            "next_on": (today + timedelta(days=14)).isoformat(),
        },
    )
    assert r.status_code == 303
    interview = session.scalar(select(Interview).where(Interview.kind == "periode_essai"))
    page = text_of(client.get(r.location))
    assert "Point période d'essai" in page and "Bonne intégration" in page
    url = f"/s/{site.slug}/entretiens/{interview.id}"
    assert client.post(url + "/cloturer").status_code == 303
    r = client.post(
        url,
        data={
            "held_on": today.isoformat(),
            "kind": "suivi",
            "summary": "Réécriture",
            "version_id": str(interview.version_id),
        },
    )
    assert r.status_code == 422 and "clôturé" in text_of(r)
    r = client.post(url + "/rouvrir", data={"motif": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = client.post(url + "/rouvrir", data={"motif": "Erreur de date"})
    assert r.status_code == 303
    assert "Erreur de date" in text_of(client.get(url))
    record = session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == interview.id, ChangeRecord.field == "réouverture"
        )
    )
    assert record.new_value == "Erreur de date"
    assert record.membership_id == site.member("cip").id


def test_next_appointment_before_the_interview_is_refused(world, client_for, session):
    site = world.a
    today = date.today()
    r = client_for(site.member("cip")).post(
        f"/s/{site.slug}/entretiens/salarie/{site.employee.id}",
        data={
            "held_on": today.isoformat(),
            "kind": "suivi",
            "summary": "Texte gardé",
            "next_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    html = text_of(r)
    assert r.status_code == 422 and "doit être après la date de l'entretien" in html
    assert "Texte gardé" in html
    assert session.scalar(select(Interview).where(Interview.summary == "Texte gardé")) is None


def test_eti_has_no_access_to_entretiens(world, client_for):
    client = client_for(world.a.member("eti"))
    r = client.get(f"/s/alpha/entretiens/salarie/{world.a.employee.id}")
    assert r.status_code == 403 and "Accès refusé" in text_of(r)
    assert world.a.employee.display_name not in text_of(r)
    interview = world.a.followup["interview"]
    r = client.get(f"/s/alpha/entretiens/{interview.id}")
    assert r.status_code == 403 and "Accès refusé" in text_of(r)
