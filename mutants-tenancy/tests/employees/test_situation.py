"""The situation at entry (what the State's record and the annual report count)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import ChangeRecord
from tests.site import text_of


def _url(world, employee):
    return f"/s/{world.a.slug}/salaries/{employee.id}/situation"


def _form(employee, **over):
    data = {
        "version_id": str(employee.version_id),
        "sex": "F",
        "education_level": "51",
        "prescriber_kind": "01",
        "unemployed_since": "15/03/2023",
        "jobseeker_since": "",
        "benefits_since": "",
        "resides_qpv": "y",
    }
    data.update(over)
    return data


def test_the_cip_records_the_situation_and_the_file_shows_it_in_words(world, client_for, session):
    employee = world.a.employee
    client = client_for(world.a.member("cip"))
    answer = client.post(_url(world, employee), data=_form(employee))
    assert answer.status_code == 303
    session.refresh(employee)
    assert (employee.sex, employee.education_level, employee.prescriber_kind) == ("F", "51", "01")
    assert employee.unemployed_since == date(2023, 3, 15)
    assert (employee.resides_qpv, employee.resides_zrr) == (True, False)
    text = text_of(client.get(answer.headers["Location"]))
    assert "Situation à l'entrée enregistrée." in text
    assert "Diplôme du CAP ou du BEP" in text
    assert "Quartier prioritaire (QPV)" in text
    labels = {
        (r.field, r.new_value)
        for r in session.scalars(select(ChangeRecord).where(ChangeRecord.entity_id == employee.id))
    }
    assert ("education_level", "Diplôme du CAP ou du BEP") in labels
    assert ("prescriber_kind", "Mission locale") in labels


def test_refusals_keep_what_was_typed(world, client_for, session):
    employee = world.a.employee
    client = client_for(world.a.member("cip"))
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    answer = client.post(_url(world, employee), data=_form(employee, jobseeker_since=tomorrow))
    assert answer.status_code == 422
    assert "Cette date ne peut pas être dans le futur." in text_of(answer)
    assert f'value="{tomorrow}"' in answer.get_data(as_text=True)
    session.refresh(employee)
    assert employee.sex is None
    answer = client.post(_url(world, employee), data=_form(employee, education_level="99"))
    assert answer.status_code == 422
    assert "N'est pas un choix valide." in text_of(answer)


def test_the_eti_neither_reads_nor_writes_it(world, client_for):
    employee = world.a.employee
    client = client_for(world.a.member("eti"))
    page = client.get(f"/s/{world.a.slug}/salaries/{employee.id}")
    assert page.status_code == 200
    assert "Situation à l'entrée" not in text_of(page)
    assert client.post(_url(world, employee), data=_form(employee)).status_code == 403
