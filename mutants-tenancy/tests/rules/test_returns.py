"""A salarié who comes back after a sortie (services/employees/exits.py, record_return and
cancel_return): each refusal says why, on the field the form shows it at; the stay that ended
is kept whole, in the salarié's structure; a save made on an older version is refused; the
history names who did it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app.models import ChangeRecord, PreviousStay
from siae_app.services import ServiceError
from siae_app.services.employees import exits
from siae_app.services.employees.identity import StaleEdit
from tests import factories as f
from tests.employees.helpers import system

LEFT = date.today() - timedelta(days=20)


def _left(site, comment="Parti pour un CDD de 4 mois."):
    session = system()
    employee = f.make_employee(site.structure.id, site.team, site.member("cip"))
    employee.exit_date = LEFT
    employee.exit_kind = "emploi_transition"
    employee.exit_reason = "cdd_moins_6m"
    employee.exit_comment = comment
    session.flush()
    return session, employee


def _refused(call) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call()
    return refused.value


def test_a_return_needs_a_sortie_a_date_and_a_day_after_the_sortie(world):
    site, cip = world.a, world.a.member("cip")
    session = system()
    present = f.make_employee(site.structure.id, site.team, cip)
    err = _refused(
        lambda: exits.record_return(session, cip, present, {"return_date": date.today()})
    )
    assert (err.message, err.field) == (
        "Le salarié est en parcours : il n'y a pas de sortie après laquelle revenir.",
        "return_date",
    )
    session, employee = _left(site)
    err = _refused(lambda: exits.record_return(session, cip, employee, {"return_date": None}))
    assert (err.message, err.field) == ("Indiquez la date du retour en parcours.", "return_date")
    err = _refused(lambda: exits.record_return(session, cip, employee, {"return_date": LEFT}))
    assert (err.message, err.field) == (
        f"Le retour doit suivre la sortie du {LEFT.strftime('%d/%m/%Y')} : pour une sortie "
        "enregistrée par erreur, annulez-la.",
        "return_date",
    )
    assert employee.previous_stays == [] and employee.exit_date == LEFT


def test_a_return_keeps_the_stay_whole_in_the_salarie_s_structure(world):
    site, cip = world.a, world.a.member("cip")
    session, employee = _left(site)
    back = LEFT + timedelta(days=5)
    exits.record_return(session, cip, employee, {"return_date": back}, employee.version_id)
    session.expire_all()
    [stay] = session.scalars(
        select(PreviousStay).where(PreviousStay.employee_id == employee.id)
    ).all()
    assert stay.structure_id == site.structure.id
    assert (stay.exit_date, stay.exit_kind, stay.exit_reason, stay.exit_comment) == (
        LEFT,
        "emploi_transition",
        "cdd_moins_6m",
        "Parti pour un CDD de 4 mois.",
    )
    assert employee.entry_date == back and employee.exit_comment is None
    changes = session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.employee_id == employee.id, ChangeRecord.field == "entry_date"
        )
    ).all()
    assert {c.membership_id for c in changes} == {cip.id}


def test_a_return_on_an_older_version_of_the_file_is_refused(world):
    site, cip = world.a, world.a.member("cip")
    session, employee = _left(site)
    seen = employee.version_id
    employee.entry_date = LEFT - timedelta(days=200)  # someone changed the entry meanwhile
    session.flush()
    with pytest.raises(StaleEdit) as stale:
        exits.record_return(session, cip, employee, {"return_date": LEFT + timedelta(days=3)}, seen)
    assert [c.field for c in stale.value.conflicts] == ["entry_date"]
    assert stale.value.field == "version_id" and employee.previous_stays == []


def test_cancelling_a_return_says_why_it_cannot_and_names_who_did_it(world):
    site, cip = world.a, world.a.member("cip")
    session, employee = _left(site)
    err = _refused(lambda: exits.cancel_return(session, cip, employee))
    assert (err.message, err.field) == ("Aucun retour en parcours à annuler.", "version_id")

    exits.record_return(session, cip, employee, {"return_date": LEFT + timedelta(days=4)})
    employee.exit_date = date.today()  # a new sortie since the return
    session.flush()
    err = _refused(lambda: exits.cancel_return(session, cip, employee))
    assert (err.message, err.field) == (
        "Une sortie est enregistrée depuis le retour : annulez-la d'abord.",
        "version_id",
    )
    employee.exit_date = None
    session.flush()
    seen = employee.version_id
    employee.entry_date = LEFT + timedelta(days=6)  # changed since the page was loaded
    session.flush()
    with pytest.raises(StaleEdit):
        exits.cancel_return(session, cip, employee, seen)
    assert len(employee.previous_stays) == 1

    coordinator = site.member("coordinator")
    exits.cancel_return(session, coordinator, employee, employee.version_id)
    assert employee.previous_stays == [] and employee.exit_date == LEFT
    assert employee.exit_comment == "Parti pour un CDD de 4 mois."
    last = session.scalars(
        select(ChangeRecord)
        .where(ChangeRecord.employee_id == employee.id, ChangeRecord.field == "exit_date")
        .order_by(ChangeRecord.at.desc())
    ).first()
    assert last.membership_id == coordinator.id
