"""The sortie's rules (services/employees/exits.py): cancelling a sortie undoes only the early
end it set, says who did it, and refuses a save made on an older version of the file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ChangeRecord, Employee, ExitFollowup
from siae_app.services import ServiceError
from siae_app.services.employees import exits
from tests import factories as f
from tests.employees.helpers import file_url, system
from tests.site import text_of


def _leave(client, site, employee, day):
    return client.post(
        file_url(site, employee, "/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": day.isoformat(),
            "exit_kind": "autre",
            "exit_reason": "abandon",
        },
    )


def test_cancelling_a_sortie_undoes_its_early_end_only_and_names_who_did_it(world, client_for):
    site, coordinator = world.a, world.a.member("coordinator")
    employee = f.make_employee(site.structure.id, site.team, site.member("cip"))
    running = employee.contracts[0]
    # An earlier contract that ended early for its own reason, long before the sortie.
    earlier = f.ContractFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        start_date=running.start_date - timedelta(days=300),
        end_date=running.start_date - timedelta(days=10),
        ended_early_on=running.start_date - timedelta(days=60),
    )
    db.session.commit()
    client = client_for(coordinator)
    day = date.today() - timedelta(days=2)
    assert _leave(client, site, employee, day).status_code == 303
    system()
    db.session.refresh(employee)
    assert running.ended_early_on == day

    r = client.post(
        file_url(site, employee, "/sortie/annuler"), data={"version_id": str(employee.version_id)}
    )
    assert r.status_code == 303
    page = text_of(client.get(r.location))
    assert "Sortie annulée : le salarié est de nouveau en parcours." in page
    system()
    db.session.refresh(running)
    db.session.refresh(earlier)
    assert running.ended_early_on is None
    assert earlier.ended_early_on == running.start_date - timedelta(days=60)
    undone = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.employee_id == employee.id,
            ChangeRecord.field.in_(("exit_date", "ended_early_on")),
            ChangeRecord.new_value.is_(None),
        )
    ).all()
    assert {(r.entity, r.field) for r in undone} == {
        ("employee", "exit_date"),
        ("contract", "ended_early_on"),
    }
    assert {r.membership_id for r in undone} == {coordinator.id}


def test_a_cancel_sent_from_an_older_page_is_refused(world, client_for):
    site = world.a
    employee = site.employee
    client = client_for(site.member("cip"))
    assert _leave(client, site, employee, date.today() - timedelta(days=1)).status_code == 303
    system()
    db.session.refresh(employee)
    stale = str(employee.version_id - 1)
    r = client.post(file_url(site, employee, "/sortie/annuler"), data={"version_id": stale})
    assert r.status_code == 422
    assert "Quelqu'un a modifié cette fiche" in text_of(r)
    system()
    db.session.refresh(employee)
    assert employee.exit_date == date.today() - timedelta(days=1)


ENTRY = date(2025, 3, 3)


def _sortie(**changes):
    return {"exit_date": ENTRY, "exit_kind": "emploi_durable", "exit_reason": "cdi"} | changes


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"exit_date": None}, "Indiquez la date de sortie.", "exit_date"),
        (
            {"exit_date": ENTRY - timedelta(days=1)},
            "La date de sortie ne peut pas précéder la date d'entrée.",
            "exit_date",
        ),
        ({"exit_kind": "demenagement"}, "Choisissez le type de sortie.", "exit_kind"),
        (
            {"exit_reason": "abandon"},
            "Ce motif ne correspond pas au type « Emploi durable ».",
            "exit_reason",
        ),
    ],
)
def test_each_refused_sortie_names_its_field_in_french(changes, message, field):
    with pytest.raises(ServiceError) as refused:
        exits.validate(Employee(entry_date=ENTRY), _sortie(**changes))
    assert (refused.value.message, refused.value.field) == (message, field)


def test_a_sortie_on_the_day_of_entry_is_accepted():
    exits.validate(Employee(entry_date=ENTRY), _sortie())
    exits.validate(Employee(entry_date=None), _sortie(exit_date=ENTRY - timedelta(days=400)))


def test_a_sortie_keeps_its_comment_trimmed_and_names_who_recorded_it(world, client_for):
    site, cip = world.a, world.a.member("cip")
    employee = site.employee
    day = date.today() - timedelta(days=1)
    data = {
        "version_id": str(employee.version_id),
        "exit_date": day.isoformat(),
        "exit_kind": "emploi_durable",
        "exit_reason": "cdi",
        "exit_comment": "  Embauché chez un partenaire.  ",
    }
    assert client_for(cip).post(file_url(site, employee, "/sortie"), data=data).status_code == 303
    system()
    db.session.refresh(employee)
    assert employee.exit_comment == "Embauché chez un partenaire."
    lines = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.employee_id == employee.id, ChangeRecord.entity == "employee"
        )
    ).all()
    assert {line.field for line in lines} >= {"exit_date", "exit_kind", "exit_reason"}
    assert {line.membership_id for line in lines} == {cip.id}


def test_an_empty_comment_is_no_comment_and_a_stale_sortie_is_refused(world, client_for):
    site = world.a
    employee = site.employee
    client = client_for(site.member("cip"))
    version = str(employee.version_id)
    data = {
        "version_id": version,
        "exit_date": date.today().isoformat(),
        "exit_kind": "autre",
        "exit_reason": "abandon",
        "exit_comment": "",
    }
    assert client.post(file_url(site, employee, "/sortie"), data=data).status_code == 303
    system()
    db.session.refresh(employee)
    assert employee.exit_comment is None
    # The same form sent again from the page shown before: someone changed the file since.
    again = client.post(
        file_url(site, employee, "/sortie"),
        data=data | {"exit_kind": "emploi_durable", "exit_reason": "cdi"},
    )
    assert again.status_code == 422
    assert "Quelqu'un a modifié cette fiche" in text_of(again)
    system()
    db.session.refresh(employee)
    assert employee.exit_kind == "autre"


def test_the_label_of_a_sortie_reason_and_of_none():
    assert exits.reason_label("emploi_durable", "cdi") == "CDI"
    assert exits.reason_label("emploi_durable", "abandon") == ""  # not a reason of that kind
    assert exits.reason_label(None, None) == ""


def test_cancelling_a_sortie_takes_its_six_month_situation_away_in_the_authors_name(world):
    site, cip = world.a, world.a.member("cip")
    employee = f.make_employee(site.structure.id, site.team, cip)
    day = date(2026, 1, 15)
    employee.exit_date, employee.exit_kind, employee.exit_reason = day, "autre", "abandon"
    db.session.add(
        ExitFollowup(
            structure_id=site.structure.id,
            employee_id=employee.id,
            exit_date=day,
            checked_on=day + timedelta(days=183),
            kind="emploi_durable",
            reason="cdi",
        )
    )
    db.session.flush()
    with tenancy.tenant_scope(db.session, site.structure.id):
        exits.cancel_exit(db.session, cip, employee)
    assert employee.exit_date is None and employee.exit_followups == []
    (gone,) = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "exit_followup", ChangeRecord.employee_id == employee.id
        )
    ).all()
    assert (gone.field, gone.new_value, gone.membership_id) == ("deleted", "Sortie annulée", cip.id)
