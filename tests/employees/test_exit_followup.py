"""« Situation six mois après la sortie » on the salarié's file: recorded by the CIP and
coordination for each sortie (one per stay), checked, kept in the history, following its
sortie when it moves and gone with it when it is cancelled."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import ChangeRecord, ExitFollowup
from siae_app.services import history
from tests.employees.helpers import file_url, system
from tests.site import text_of

LEFT = date.today() - timedelta(days=60)  # entered 120 days ago (factories)
CHECKED = date.today() - timedelta(days=10)


def _leave(client, world, day=LEFT):
    employee = world.a.employee
    answer = client.post(
        file_url(world.a, path="/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": day.isoformat(),
            "exit_kind": "autre",
            "exit_reason": "demandeur_emploi",
        },
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    db.session.refresh(employee)
    return employee


def _situation(client, world, **data):
    values = {
        "exit_date": LEFT.isoformat(),
        "checked_on": CHECKED.strftime("%d/%m/%Y"),
        "kind": "emploi_durable",
        "reason": "cdi",
        "comment": "Embauché par le client du chantier.",
    }
    values.update(data)
    return client.post(file_url(world.a, path="/sortie/situation-6-mois"), data=values)


def test_the_cip_records_it_and_the_file_and_history_tell_it(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    page = text_of(client.get(file_url(world.a)))
    assert "Situation six mois après la sortie" in page
    assert f"Sortie du {LEFT.strftime('%d/%m/%Y')} :" in page and "à recueillir à partir du" in page
    form = text_of(client.get(file_url(world.a, path="/sortie/situation-6-mois")))
    assert "Injoignable" in form and "Situation recueillie le" in form
    answer = _situation(client, world)
    assert answer.status_code == 303, text_of(answer)
    assert "Situation à 6 mois enregistrée." in text_of(client.get(answer.location))
    page = text_of(client.get(file_url(world.a)))
    assert f"Emploi durable (CDI), recueillie le {CHECKED.strftime('%d/%m/%Y')}" in page
    assert world.a.member("cip").user.full_name in page
    assert "Corriger la situation" in page
    system()
    lines = [
        e for e in history.of_employee(db.session, employee.id) if e.entity == "Situation à 6 mois"
    ]
    assert {(e.field, e.new) for e in lines} >= {
        ("Type", "Emploi durable"),
        ("Précision", "CDI"),
        ("Situation recueillie le", CHECKED.strftime("%d/%m/%Y")),
    }


def test_saving_again_corrects_the_same_record(world, client_for):
    client = client_for(world.a.member("coordinator"))
    employee = _leave(client, world)
    assert _situation(client, world).status_code == 303
    answer = _situation(client, world, kind="injoignable", reason="cdi")
    assert answer.status_code == 303, text_of(answer)
    system()
    [row] = db.session.scalars(select(ExitFollowup).where(ExitFollowup.employee_id == employee.id))
    assert (row.kind, row.reason) == ("injoignable", None)  # no précision for « Injoignable »


def test_refusals_say_why(world, client_for):
    client = client_for(world.a.member("cip"))
    _leave(client, world)
    before = _situation(client, world, checked_on=(LEFT - timedelta(days=1)).isoformat())
    assert before.status_code == 422
    assert f"La situation se recueille après la sortie du {LEFT.strftime('%d/%m/%Y')}." in text_of(
        before
    )
    future = _situation(client, world, checked_on=(date.today() + timedelta(days=1)).isoformat())
    assert "La date du point ne peut pas être dans le futur." in text_of(future)
    mismatch = _situation(client, world, kind="sortie_positive", reason="cdi")
    assert mismatch.status_code == 422
    assert "Choisissez une précision qui correspond à « Sortie positive »." in text_of(mismatch)
    system()
    assert db.session.scalars(select(ExitFollowup)).all() == []


def test_eti_and_direction_may_not_record_it(world, client_for):
    _leave(client_for(world.a.member("cip")), world)
    for role in ("eti", "director"):
        client = client_for(world.a.member(role))
        assert client.get(file_url(world.a, path="/sortie/situation-6-mois")).status_code == 403
        assert _situation(client, world).status_code == 403


def test_without_a_sortie_there_is_nothing_to_record(world, client_for):
    client = client_for(world.a.member("cip"))
    page = client.get(file_url(world.a, path="/sortie/situation-6-mois"))
    assert page.status_code == 200
    assert "Aucune sortie enregistrée" in text_of(page)
    assert _situation(client, world).status_code == 422


def test_it_follows_its_sortie_when_moved_and_goes_when_cancelled(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    assert _situation(client, world).status_code == 303
    moved = LEFT + timedelta(days=3)
    employee = _leave(client, world, moved)
    [row] = employee.exit_followups
    assert row.exit_date == moved
    system()
    follows = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "exit_followup", ChangeRecord.field == "exit_date"
        )
    ).all()
    # The history says who moved it: the CIP who corrected the sortie.
    assert follows and {f.membership_id for f in follows} == {world.a.member("cip").id}
    answer = client.post(
        file_url(world.a, path="/sortie/annuler"), data={"version_id": str(employee.version_id)}
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    assert db.session.scalars(select(ExitFollowup)).all() == []
    deleted = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "exit_followup", ChangeRecord.field == "deleted"
        )
    ).all()
    assert [d.new_value for d in deleted] == ["Sortie annulée"]


def test_a_salarie_who_came_back_has_one_per_stay(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    back = LEFT + timedelta(days=30)
    answer = client.post(
        file_url(world.a, path="/sortie/retour"),
        data={"version_id": str(employee.version_id), "return_date": back.isoformat()},
    )
    assert answer.status_code == 303, text_of(answer)
    form = text_of(client.get(file_url(world.a, path="/sortie/situation-6-mois")))
    assert f"Sortie du {LEFT.strftime('%d/%m/%Y')}" in form
    assert (
        _situation(client, world, kind="sortie_positive", reason="embauche_autre_siae").status_code
        == 303
    )
    page = text_of(client.get(file_url(world.a)))
    assert "Sortie positive (Embauche dans une autre SIAE)" in page
