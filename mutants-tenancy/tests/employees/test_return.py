"""A salarié who left and comes back: the sortie is kept as an earlier stay (it still counts in
its year), a new stay begins on the return date; a return recorded by mistake is undone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import ChangeRecord, PreviousStay
from tests.employees.helpers import file_url, system
from tests.site import text_of

LEFT = date.today() - timedelta(days=10)


def _leave(client, world):
    employee = world.a.employee
    answer = client.post(
        file_url(world.a, path="/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": LEFT.isoformat(),
            "exit_kind": "emploi_transition",
            "exit_reason": "cdd_moins_6m",
        },
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    db.session.refresh(employee)
    return employee


def _come_back(client, world, day, version):
    return client.post(
        file_url(world.a, path="/sortie/retour"),
        data={"version_id": str(version), "return_date": day.strftime("%d/%m/%Y")},
    )


def test_a_return_keeps_the_sortie_and_starts_a_new_stay(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    first_entry = employee.entry_date or min(c.start_date for c in employee.contracts)
    form = text_of(client.get(file_url(world.a, path="/sortie")))
    assert "Retour en parcours" in form and "Date du retour en parcours" in form
    first = employee.first_name
    expected = f"Sortie d'{first}" if first[0].lower() in "aeiouyéèêâîô" else f"Sortie de {first}"
    assert expected in form  # « Sortie d'Isabelle », « Sortie de Maryse »
    back = LEFT + timedelta(days=6)
    answer = _come_back(client, world, back, employee.version_id)
    assert answer.status_code == 303, text_of(answer)
    assert "Retour en parcours enregistré" in text_of(client.get(answer.location))
    system()
    db.session.refresh(employee)
    assert employee.entry_date == back and employee.exit_date is None
    [stay] = employee.previous_stays
    assert (stay.entry_date, stay.exit_date, stay.exit_kind, stay.exit_reason) == (
        first_entry,
        LEFT,
        "emploi_transition",
        "cdd_moins_6m",
    )
    page = text_of(client.get(file_url(world.a)))
    assert "Parcours précédents" in page
    assert f"sortie le {LEFT.strftime('%d/%m/%Y')} : Emploi de transition" in page
    changed = set(
        db.session.scalars(
            select(ChangeRecord.field).where(
                ChangeRecord.entity_id == employee.id, ChangeRecord.field == "entry_date"
            )
        )
    )
    assert changed == {"entry_date"}  # the history tells the new entry


def test_a_return_on_or_before_the_sortie_is_refused_and_keeps_the_date(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    answer = _come_back(client, world, LEFT, employee.version_id)
    assert answer.status_code == 422
    page = text_of(answer)
    assert f"Le retour doit suivre la sortie du {LEFT.strftime('%d/%m/%Y')}" in page
    assert LEFT.strftime("%d/%m/%Y") in page  # the typed date is shown again
    system()
    assert db.session.scalars(select(PreviousStay)).all() == []
    empty = client.post(
        file_url(world.a, path="/sortie/retour"),
        data={"version_id": str(employee.version_id), "return_date": ""},
    )
    assert empty.status_code == 422


def test_no_return_without_a_sortie(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = world.a.employee
    answer = _come_back(client, world, date.today(), employee.version_id)
    assert answer.status_code == 422
    assert "il n'y a pas de sortie après laquelle revenir" in text_of(answer)


def test_a_return_recorded_by_mistake_is_undone(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = _leave(client, world)
    before_entry = employee.entry_date
    back = _come_back(client, world, LEFT + timedelta(days=3), employee.version_id)
    assert back.status_code == 303
    system()
    db.session.refresh(employee)
    form = text_of(client.get(file_url(world.a, path="/sortie")))
    assert "Retour enregistré par erreur" in form
    undo = client.post(
        file_url(world.a, path="/sortie/retour/annuler"),
        data={"version_id": str(employee.version_id)},
    )
    assert undo.status_code == 303
    assert "Retour annulé" in text_of(client.get(undo.location))
    system()
    db.session.refresh(employee)
    assert employee.exit_date == LEFT and employee.exit_kind == "emploi_transition"
    assert employee.previous_stays == []
    assert employee.entry_date in (before_entry, min(c.start_date for c in employee.contracts))
    again = client.post(
        file_url(world.a, path="/sortie/retour/annuler"),
        data={"version_id": str(employee.version_id)},
    )
    assert again.status_code == 422 and "Aucun retour en parcours à annuler." in text_of(again)


def test_the_eti_cannot_record_a_return(world, client_for):
    cip = client_for(world.a.member("cip"))
    employee = _leave(cip, world)
    eti = client_for(world.a.member("eti"))
    answer = _come_back(eti, world, LEFT + timedelta(days=10), employee.version_id)
    assert answer.status_code == 403
    system()
    assert db.session.scalars(select(PreviousStay)).all() == []
