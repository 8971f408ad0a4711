"""Pistes d'action: quick-add from every page of the file, edit with partner, history,
stale saves, bad input, scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from siae_app.models import Action, ChangeRecord
from tests import factories as f
from tests.site import text_of


@pytest.mark.parametrize(
    "page",
    ["diagnostic/{e}", "actions/salarie/{e}", "accueil/{e}", "entretiens/salarie/{e}"],
)
def test_quick_add_is_on_every_page_of_the_file(page, world, client_for):
    site = world.a
    html = text_of(
        client_for(site.member("cip")).get(f"/s/{site.slug}/" + page.format(e=site.employee.id))
    )
    assert "+ Action" in html
    assert f"/s/{site.slug}/actions/salarie/{site.employee.id}/rapide" in html


def test_quick_add_defaults_then_complete_with_a_partner(world, client_for, session):
    site = world.a
    cip = site.member("cip")
    client = client_for(cip)
    r = client.post(
        f"/s/{site.slug}/actions/salarie/{site.employee.id}/rapide",
        data={"label": "Inscription auto-école sociale"},
    )
    assert r.status_code == 303
    action = session.scalar(select(Action).where(Action.label == "Inscription auto-école sociale"))
    assert (action.status, action.owner_id, action.partner_id) == ("prevue", cip.id, None)
    page = text_of(client.get(r.location))
    assert "Action ajoutée" in page and site.followup["partner"].name in page
    r = client.post(
        r.location,
        data={
            "label": action.label,
            "nature": "mobilite",
            "partner_id": str(site.followup["partner"].id),
            "owner_id": str(cip.id),
            "due_date": (site.employee.entry_date + timedelta(days=60)).isoformat(),
            "status": "faite",
            "result": "Inscrit pour mars",
            "minutes_spent": "45",
            "version_id": str(action.version_id),
        },
    )
    assert r.status_code == 303
    page = text_of(client.get(r.location))
    assert "statut : Prévue → Faite" in page and "45 min" in page
    assert f"partenaire : — → {site.followup['partner'].name}" in page
    assert session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == action.id, ChangeRecord.field == "minutes"
        )
    )


def test_empty_quick_add_and_bad_values_are_refused_in_french(world, client_for, session):
    site = world.a
    client = client_for(site.member("eti"))
    r = client.post(f"/s/{site.slug}/actions/salarie/{site.employee.id}/rapide", data={"label": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    action = site.followup["action"]
    r = client.post(
        f"/s/{site.slug}/actions/{action.id}",
        data={
            "label": "Modifié",
            "nature": "autre",
            "status": "en_cours",
            "minutes_spent": "-5",
            "due_date": (site.employee.entry_date - timedelta(days=1)).isoformat(),
            "version_id": str(action.version_id),
        },
    )
    html = text_of(r)
    assert r.status_code == 422 and "Entre 0 et 1 440 minutes." in html
    assert 'value="Modifié"' in html
    session.refresh(action)
    assert action.label != "Modifié"


def test_stale_action_save_gets_a_french_message(world, client_for, session):
    site = world.a
    action = site.followup["action"]
    data = {
        "label": "Première",
        "nature": "autre",
        "status": "en_cours",
        "version_id": str(action.version_id),
    }
    assert (
        client_for(site.member("cip"))
        .post(f"/s/{site.slug}/actions/{action.id}", data=data)
        .status_code
        == 303
    )
    data["label"] = "Seconde"
    r = client_for(site.member("coordinator")).post(
        f"/s/{site.slug}/actions/{action.id}", data=data
    )
    assert r.status_code == 422 and "Quelqu'un d'autre a modifié" in text_of(r)
    session.refresh(action)
    assert action.label == "Première"


def test_eti_does_not_reach_another_teams_actions(world, client_for, session):
    """The other team of the ETI's own structure (the row scope answers, not the tenant)."""
    site = world.a
    other = site.other_employee
    theirs = f.ActionFactory(
        structure_id=site.structure.id, employee_id=other.id, label="Inscription auto-école"
    )
    client = client_for(site.member("eti"))
    for r in (
        client.get(f"/s/{site.slug}/actions/salarie/{other.id}"),
        client.post(f"/s/{site.slug}/actions/salarie/{other.id}/rapide", data={"label": "x"}),
        client.get(f"/s/{site.slug}/actions/{theirs.id}"),
        client.post(f"/s/{site.slug}/actions/{theirs.id}", data={"label": "Changé"}),
        client.get(f"/s/{site.slug}/actions/{world.b.followup['action'].id}"),
    ):
        assert r.status_code == 404 and "Page introuvable" in text_of(r)
        assert "Inscription auto-école" not in text_of(r)
    session.expire_all()
    labels = set(session.scalars(select(Action.label).where(Action.employee_id == other.id)))
    assert labels == {"Inscription auto-école"}  # no « x », no « Changé »


def test_action_form_refuses_another_structures_partner(world, client_for, session):
    site = world.a
    action = site.followup["action"]
    r = client_for(site.member("cip")).post(
        f"/s/{site.slug}/actions/{action.id}",
        data={
            "label": action.label,
            "nature": "autre",
            "status": "prevue",
            "partner_id": str(world.b.followup["partner"].id),
            "version_id": str(action.version_id),
        },
    )
    assert r.status_code == 422 and "N'est pas un choix valide." in text_of(r)


def test_a_concurrent_update_at_flush_is_a_french_message(world, session):
    """Two sessions load the same action; the second flush finds the row changed."""
    from sqlalchemy import update

    from siae_app import tenancy
    from siae_app.services import ServiceError
    from siae_app.services import actions as service

    site = world.a
    action = site.followup["action"]
    # Someone else's commit bumps the version behind this session's back.
    session.execute(
        update(Action).where(Action.id == action.id).values(version_id=Action.version_id + 1),
        execution_options={"synchronize_session": False},
    )
    with tenancy.tenant_scope(session, site.structure.id), pytest.raises(ServiceError) as err:
        service.save_action(
            session,
            action,
            membership=site.member("cip"),
            label="Tardif",
            nature="autre",
            partner=None,
            owner_id=None,
            due_date=None,
            status="prevue",
            result=None,
            minutes_spent=None,
        )
    assert "Quelqu'un d'autre a modifié" in err.value.message
    session.refresh(action)
    assert action.label != "Tardif"
