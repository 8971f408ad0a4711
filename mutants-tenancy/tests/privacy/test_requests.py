"""A salarié's requests about their data: written down by the CIP, coordination or direction,
answered once by the direction; an erasure erases a former salarié's texts at once and says
what is kept until when; a limitation or an opposition stays on the file for everyone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import Employee, Observation, PrivacyRequest
from siae_app.services.employees.dates import add_months
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.site import text_of

TODAY = date.today()


def _url(site, employee, tail="demandes"):
    return f"/s/{site.slug}/salaries/{employee.id}/donnees/{tail}"


def _former(site) -> Employee:
    """A salarié who left last month, with an observation on the chantier."""
    sid = site.structure.id
    employee = f.EmployeeFactory(
        structure_id=sid,
        last_name="Parti",
        email="parti@example.org",
        entry_date=TODAY - timedelta(days=300),
        exit_date=TODAY - timedelta(days=30),
        exit_kind="emploi_durable",
        exit_reason="cdi",
    )
    f.ContractFactory(
        structure_id=sid,
        employee_id=employee.id,
        start_date=TODAY - timedelta(days=300),
        end_date=TODAY - timedelta(days=30),
    )
    ObservationFactory(
        structure_id=sid,
        employee_id=employee.id,
        author_id=site.member("eti").id,
        observed_on=TODAY - timedelta(days=40),
        text="Parle de sa santé fragile.",
    )
    return employee


def _ask(client, site, employee, kind="effacement", details="Veut que son dossier soit effacé."):
    return client.post(
        _url(site, employee),
        data={"kind": kind, "received_on": TODAY.isoformat(), "details": details},
    )


def test_the_cip_writes_down_a_request_and_the_page_lists_it(world, client_for):
    site = world.a
    cip = client_for(site.member("cip"))
    r = _ask(cip, site, site.employee, "acces", "Demande une copie de son dossier.")
    assert r.status_code == 303
    page = text_of(cip.get(r.location))
    assert "Demande enregistrée." in page
    assert "Accès (copie de ce qui est détenu) — reçue le" in page
    assert "Demande une copie de son dossier." in page
    assert "En attente de la réponse de la direction." in page  # the CIP does not answer


def test_a_request_without_kind_or_dated_tomorrow_is_refused_with_what_was_typed(
    world, client_for, session
):
    site = world.a
    cip = client_for(site.member("cip"))
    r = cip.post(
        _url(site, site.employee),
        data={"kind": "", "received_on": TODAY.isoformat(), "details": "Mes mots à garder"},
    )
    assert r.status_code == 422 and "Mes mots à garder" in text_of(r)
    r = _ask(cip, site, site.employee, details="Demain ?")
    assert r.status_code == 303
    r = cip.post(
        _url(site, site.employee),
        data={
            "kind": "opposition",
            "received_on": (TODAY + timedelta(days=1)).isoformat(),
            "details": "Refuse les photos",
        },
    )
    assert r.status_code == 422
    assert "La demande ne peut pas être datée de demain." in text_of(r)
    assert "Refuse les photos" in text_of(r)
    kinds = session.scalars(
        select(PrivacyRequest.kind).where(PrivacyRequest.employee_id == site.employee.id)
    ).all()
    assert kinds == ["effacement"]


def test_the_direction_erases_a_former_salaries_texts_and_says_what_is_kept(
    world, client_for, session
):
    site = world.a
    employee = _former(site)
    assert _ask(client_for(site.member("cip")), site, employee).status_code == 303
    row = session.scalar(select(PrivacyRequest).where(PrivacyRequest.employee_id == employee.id))
    direction = client_for(site.member("director"))
    page = text_of(direction.get(_url(site, employee)))
    five_years = add_months(TODAY - timedelta(days=30), 60)
    assert f"jusqu'au {five_years:%d/%m/%Y}" in page and "L3243-4" in page

    r = direction.post(
        _url(site, employee, f"repondre?demande={row.id}"),
        data={"answer": "Vos textes sont effacés ; vos contrats restent 5 ans.", "erase": "y"},
    )
    assert r.status_code == 303
    page = text_of(direction.get(r.location))
    assert "Réponse enregistrée. Les textes du dossier ont été effacés." in page
    assert f"Effacement fait le {TODAY:%d/%m/%Y}" in page
    session.expire_all()
    assert session.get(Employee, employee.id).accompaniment_erased_on == TODAY
    assert session.get(Employee, employee.id).email is None
    assert not session.scalars(
        select(Observation).where(Observation.employee_id == employee.id)
    ).all()
    assert session.get(Employee, employee.id).last_name == "Parti"  # kept five years

    again = direction.post(
        _url(site, employee, f"repondre?demande={row.id}"), data={"answer": "Encore"}
    )
    assert again.status_code == 409
    assert "Cette demande a déjà reçu sa réponse." in text_of(again)


def test_no_erasure_while_the_salarie_is_in_parcours(world, client_for, session):
    site = world.a
    assert _ask(client_for(site.member("cip")), site, site.employee).status_code == 303
    row = session.scalar(
        select(PrivacyRequest).where(PrivacyRequest.employee_id == site.employee.id)
    )
    r = client_for(site.member("director")).post(
        _url(site, site.employee, f"repondre?demande={row.id}"),
        data={"answer": "Effacé", "erase": "y"},
    )
    assert r.status_code == 422
    assert "Le salarié est encore en parcours" in text_of(r)
    assert "Effacé" in text_of(r)  # what was typed
    session.expire_all()
    assert session.get(PrivacyRequest, row.id).answered_on is None
    assert session.get(Employee, site.employee.id).accompaniment_erased_on is None


def test_only_the_direction_answers(world, client_for, session):
    site = world.a
    assert _ask(client_for(site.member("cip")), site, site.employee).status_code == 303
    for role in ("cip", "coordinator"):
        url = _url(site, site.employee, "repondre")
        assert client_for(site.member(role)).get(url).status_code == 403
    assert client_for(site.member("eti")).get(_url(site, site.employee)).status_code == 403


def test_a_limitation_stays_on_the_file_for_everyone(world, client_for):
    site = world.a
    cip = client_for(site.member("cip"))
    r = _ask(cip, site, site.employee, "limitation", "Ne plus transmettre au prescripteur.")
    assert r.status_code == 303
    eti_page = text_of(
        client_for(site.member("eti")).get(f"/s/{site.slug}/salaries/{site.employee.id}")
    )
    assert "Limitation du traitement demandée par le salarié le" in eti_page
    assert "Ne plus transmettre au prescripteur." in eti_page
    assert "Demandes sur les données" not in eti_page  # the ETI has no link to the requests
    assert "Demandes sur les données" in text_of(
        cip.get(f"/s/{site.slug}/salaries/{site.employee.id}")
    )


def test_another_structures_request_is_not_found(world, client_for, session):
    a, b = world.a, world.b
    assert _ask(client_for(b.member("cip")), b, b.employee).status_code == 303
    row = session.scalar(select(PrivacyRequest).where(PrivacyRequest.employee_id == b.employee.id))
    direction = client_for(a.member("director"))
    r = direction.get(_url(a, a.employee, f"repondre?demande={row.id}"))
    assert r.status_code == 404


def test_the_nights_purge_erases_the_history_an_erasure_left(world, client_for, session):
    from siae_app import tenancy
    from siae_app.models import ChangeRecord
    from siae_app.services.privacy import purge

    site = world.a
    employee = _former(site)
    note = ChangeRecord(
        structure_id=site.structure.id,
        membership_id=site.member("cip").id,
        entity="entretien",
        entity_id=employee.id,
        employee_id=employee.id,
        field="summary",
        old_value=None,
        new_value="Évoque une dette de loyer.",
    )
    session.add(note)
    session.flush()
    assert _ask(client_for(site.member("cip")), site, employee).status_code == 303
    row = session.scalar(select(PrivacyRequest).where(PrivacyRequest.employee_id == employee.id))
    r = client_for(site.member("director")).post(
        _url(site, employee, f"repondre?demande={row.id}"), data={"answer": "Fait.", "erase": "y"}
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(ChangeRecord, note.id).new_value == "Évoque une dette de loyer."

    tenancy.activate_system(session)
    out = {o.rule.value: o for o in purge.run(session, site.structure, TODAY)}
    assert out["accompaniment"].counts == {"change_records": 1}
    session.expire_all()
    assert session.get(ChangeRecord, note.id).new_value is None
    again = {o.rule.value: o for o in purge.run(session, site.structure, TODAY)}
    assert again["accompaniment"].total == 0
