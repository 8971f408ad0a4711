"""Observations: one-tap writing, idempotent replays, competencies, sensitive visibility."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from siae_app.models import ActivityFramework, Observation
from tests.factories.observations import ObservationFactory
from tests.querycount import count_queries
from tests.site import text_of


def _link_framework(site):
    from siae_app.extensions import db

    db.session.add(
        ActivityFramework(
            structure_id=site.structure.id,
            activity_id=site.activity.id,
            framework_id=site.framework.id,
        )
    )
    db.session.commit()
    return site.framework.competencies[0]


def _url(site, suffix=""):
    return f"/s/{site.slug}/salaries/{site.employee.id}/observations{suffix}"


def _count(session):
    return session.scalar(select(func.count()).select_from(Observation))


def test_an_eti_saves_an_observation_with_a_competency_and_a_level(world, client_for, session):
    comp = _link_framework(world.a)
    level = world.a.scale.levels[-1]
    client = client_for(world.a.member("eti"))
    record_id = uuid.uuid4()
    form = {
        "record_id": str(record_id),
        "text": "Karim a respecté les consignes de sécurité sur la débroussailleuse.",
        "tone": "positive",
        "competency_ids": str(comp.id),
        "level_id": str(level.id),
    }
    answer = client.post(_url(world.a), data=form)
    assert answer.status_code == 303
    assert client.post(_url(world.a), data=form).status_code == 303  # the replay
    assert _count(session) == 1
    saved = session.get(Observation, record_id)
    assert [link.competency_id for link in saved.links] == [comp.id]
    page = text_of(client.get(_url(world.a)))
    assert "débroussailleuse" in page and "Point positif" in page and level.label in page
    comp_page = text_of(
        client.get(f"/s/alpha/salaries/{world.a.employee.id}/competences/{comp.id}")
    )
    assert "débroussailleuse" in comp_page


def test_a_competency_outside_the_teams_frameworks_is_refused(world, client_for, session):
    client = client_for(world.a.member("eti"))
    form = {
        "record_id": str(uuid.uuid4()),
        "text": "Bien.",
        "tone": "neutral",
        "competency_ids": str(world.a.framework.competencies[0].id),  # not linked
    }
    answer = client.post(_url(world.a), data=form)
    assert answer.status_code == 422
    assert "ne fait pas partie des référentiels de l'équipe" in text_of(answer)
    assert _count(session) == 0


def test_an_empty_observation_is_refused(world, client_for, session):
    answer = client_for(world.a.member("eti")).post(
        _url(world.a), data={"record_id": str(uuid.uuid4()), "text": "  "}
    )
    assert answer.status_code == 422
    assert "Ce champ est obligatoire." in text_of(answer)


def test_the_picker_finds_the_teams_competencies(world, client_for):
    comp = _link_framework(world.a)
    word = comp.title.split()[0]
    client = client_for(world.a.member("eti"))
    answer = client.get(
        _url(world.a, "/competences") + f"?q={word}", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    assert comp.title[:40] in text_of(answer)
    assert "<html" not in text_of(answer)


def test_the_eti_cannot_observe_a_salarie_of_another_team(world, client_for, session):
    client = client_for(world.a.member("eti"))
    url = f"/s/alpha/salaries/{world.a.other_employee.id}/observations"
    for r in (
        client.get(url),
        client.post(url, data={"record_id": str(uuid.uuid4()), "text": "Observé hors équipe"}),
    ):
        assert r.status_code == 404 and "Page introuvable" in text_of(r)
        assert world.a.other_employee.display_name not in text_of(r)
    assert session.scalar(select(func.count()).select_from(Observation)) == 0


def test_direction_reads_but_does_not_write(world, client_for, session):
    ObservationFactory(
        structure_id=world.a.structure.id,
        employee_id=world.a.employee.id,
        author_id=world.a.member("eti").id,
        text="Range le matériel sans qu'on le demande",
    )
    client = client_for(world.a.member("director"))
    page = client.get(_url(world.a))
    assert page.status_code == 200
    assert "Range le matériel sans qu'on le demande" in text_of(page)
    answer = client.post(_url(world.a), data={"record_id": str(uuid.uuid4()), "text": "Vu"})
    assert answer.status_code == 403 and "Accès refusé" in text_of(answer)
    assert session.scalar(select(func.count()).select_from(Observation)) == 1


def _sensitive_world(world):
    site = world.a
    common = {"structure_id": site.structure.id, "employee_id": site.employee.id}
    ObservationFactory(
        **common, author_id=site.member("eti").id, text="Confidentiel ETI", sensitive=True
    )
    ObservationFactory(
        **common, author_id=site.member("cip").id, text="Confidentiel CIP", sensitive=True
    )
    ObservationFactory(**common, author_id=site.member("eti").id, text="Ordinaire")


def test_sensitive_observations_are_inside_data_sensitive_and_hidden(world, client_for):
    _sensitive_world(world)
    seen = {
        "eti": {"Confidentiel ETI"},  # its own only
        "cip": {"Confidentiel ETI", "Confidentiel CIP"},
        "coordinator": {"Confidentiel ETI", "Confidentiel CIP"},
        "director": set(),
    }
    for role, expected in seen.items():
        body = text_of(client_for(world.a.member(role)).get(_url(world.a)))
        assert "Ordinaire" in body, role
        inside = " ".join(re.findall(r"<div data-sensitive>(.*?)</div>", body, re.S))
        outside = re.sub(r"<div data-sensitive>.*?</div>", "", body, flags=re.S)
        for text in ("Confidentiel ETI", "Confidentiel CIP"):
            assert (text in inside) == (text in expected), (role, text)
            assert text not in outside, (role, text)
    admin = client_for(world.a.member("admin")).get(_url(world.a))
    assert admin.status_code == 403


def test_who_reads_sensitive_observations_is_the_policy_s_answer(world, client_for, monkeypatch):
    """The row scope asks the policy (``OBSERVATIONS_SENSITIVE_VIEW``), not a list of roles."""
    from siae_app.models import Role
    from siae_app.permissions.policy import POLICY, Perm

    _sensitive_world(world)
    readers = POLICY[Perm.OBSERVATIONS_SENSITIVE_VIEW] | {Role.DIRECTOR}
    monkeypatch.setitem(POLICY, Perm.OBSERVATIONS_SENSITIVE_VIEW, readers)
    body = text_of(client_for(world.a.member("director")).get(_url(world.a)))
    assert "Confidentiel ETI" in body and "Confidentiel CIP" in body


def test_feed_filters_by_tone_and_query_count_is_flat(world, client_for):
    site = world.a
    common = {"structure_id": site.structure.id, "employee_id": site.employee.id}
    ObservationFactory(
        **common, author_id=site.member("eti").id, text="Vigilance", tone="vigilance"
    )
    ObservationFactory(**common, author_id=site.member("eti").id, text="Bravo", tone="positive")
    client = client_for(site.member("cip"))
    page = text_of(client.get(_url(site) + "?ton=vigilance", headers={"HX-Request": "true"}))
    assert "Vigilance" in page and "Bravo" not in page and "<html" not in page
    with count_queries() as small:
        client.get(_url(site))
    for n in range(8):
        ObservationFactory(**common, author_id=site.member("cip").id, text=f"Encore {n}")
    with count_queries() as big:
        assert "Encore 7" in text_of(client.get(_url(site)))
    assert big.count == small.count
