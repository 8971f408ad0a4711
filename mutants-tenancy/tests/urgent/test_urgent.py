"""Situations urgentes: flagged by the ETI, shown to the référent CIP and coordination until
acknowledged, with a mail that carries no personal detail."""

from __future__ import annotations

from sqlalchemy import select

from siae_app.models import UrgentSituation
from siae_app.services import urgent as service
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.site import text_of


def test_the_eti_flags_a_situation_and_the_mail_has_no_personal_detail(
    world, client_for, session, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        service, "send_mail", lambda to, subject, body: sent.append((to, subject, body))
    )
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/urgences/salaries/{world.a.employee.id}/signaler"
    answer = client.post(url, data={"kind": "accident", "text": "Coupure à la main"})
    assert answer.status_code == 303
    saved = session.scalars(select(UrgentSituation).where(UrgentSituation.kind == "accident")).one()
    assert saved.reported_by_id == world.a.member("eti").id
    recipients = {to for to, _, _ in sent}
    assert world.a.member("cip").user.email in recipients  # the référent
    assert world.a.member("coordinator").user.email in recipients
    assert world.a.member("director").user.email not in recipients
    for _, subject, body in sent:
        assert "Une situation urgente vous attend dans Parcours SIAE" in body
        for private in ("Coupure", world.a.employee.last_name, "accident", "Accident"):
            assert private not in body and private not in subject


def test_a_situation_needs_a_kind_and_a_text(world, client_for):
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/urgences/salaries/{world.a.employee.id}/signaler"
    answer = client.post(url, data={"kind": "", "text": ""})
    assert answer.status_code == 422
    assert "Ce champ est obligatoire." in text_of(answer)


def test_the_eti_cannot_flag_a_salarie_of_another_team(world, client_for, session, monkeypatch):
    sent = []
    monkeypatch.setattr(service, "send_mail", lambda *args: sent.append(args))
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/urgences/salaries/{world.a.other_employee.id}/signaler"
    for answer in (
        client.get(url),
        client.post(url, data={"kind": "accident", "text": "Coupure à la main"}),
    ):
        assert answer.status_code == 404 and "Page introuvable" in text_of(answer)
        assert world.a.other_employee.display_name not in text_of(answer)
    kinds = session.scalars(select(UrgentSituation.kind)).all()
    assert "accident" not in kinds and sent == []


def test_the_banner_shows_to_the_referent_and_coordination_until_acknowledged(
    world, client_for, session
):
    banner = "/s/alpha/urgences/bandeau"
    for role in ("cip", "coordinator"):
        page = text_of(client_for(world.a.member(role)).get(banner))
        assert "1 situation urgente à prendre en compte" in page, role
        assert "Conflit" in page and world.a.employee.display_name in page
    other_cip = MembershipFactory(
        structure=world.a.structure, roles=["cip"], user=UserFactory(email="cip2@example.org")
    )
    assert "situation urgente" not in text_of(client_for(other_cip).get(banner))
    assert client_for(world.a.member("eti")).get(banner).status_code == 403
    coordinator = world.a.member("coordinator")
    url = f"/s/alpha/urgences/{world.a.urgent.id}/prise-en-compte"
    client = client_for(coordinator)
    answer = client.post(url, data={"action_taken": "Appel au salarié, rendez-vous demain."})
    assert answer.status_code == 303
    assert world.a.urgent.acknowledged_by_id == coordinator.id
    assert world.a.urgent.acknowledged_at is not None
    assert "situation urgente" not in text_of(client_for(world.a.member("cip")).get(banner))
    history = text_of(client.get("/s/alpha/urgences/"))
    assert "Appel au salarié, rendez-vous demain." in history
    again = client.post(url, data={"action_taken": "Encore"})
    assert again.status_code == 422
    assert "déjà été prise en compte" in text_of(again)


def test_a_situation_sent_twice_from_the_phone_is_saved_and_mailed_once(
    world, client_for, session, monkeypatch
):
    import re
    import uuid

    sent = []
    monkeypatch.setattr(service, "send_mail", lambda *args: sent.append(args))
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/urgences/salaries/{world.a.employee.id}/signaler"
    page = client.get(url).get_data(as_text=True)
    record_id = re.search(r'name="record_id" type="hidden" value="([0-9a-f-]{36})"', page)[1]
    form = {"record_id": record_id, "kind": "conflit", "text": "Altercation au dépôt"}
    assert client.post(url, data=form).status_code == 303
    mailed = len(sent)
    assert mailed >= 2  # the référent and the coordination
    replay = client.post(url, data=form, headers={"X-Offline-Replay": "1"})
    assert replay.status_code == 303  # the phone's queue sent it again: no error, no copy
    saved = session.scalars(
        select(UrgentSituation).where(UrgentSituation.text == "Altercation au dépôt")
    ).all()
    assert [str(s.id) for s in saved] == [record_id]
    assert len(sent) == mailed  # not again
    # The same id with another content is another record: refused, nothing saved, no mail.
    other = client.post(url, data=form | {"text": "Autre chose"})
    assert other.status_code == 409
    assert "identifiant déjà utilisé" in text_of(other)
    assert "Autre chose" in text_of(other)  # what was typed is kept
    assert len(sent) == mailed
    # Each showing of the form has its own id; a form without one (an older page) still works.
    assert record_id not in client.get(url).get_data(as_text=True)
    form = {"kind": "autre", "text": "Sans identifiant"}
    assert client.post(url, data=form).status_code == 303
    assert uuid.UUID(
        str(
            session.scalars(select(UrgentSituation.id).where(UrgentSituation.kind == "autre")).one()
        )
    )
