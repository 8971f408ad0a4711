"""The annual report: a frozen copy built by the job (inline in tests), its PDF, XLSX and
JSON, no name in any of them, and what changed since the copy."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from siae_app.models import AnnualReport, BatchStatus
from tests.site import text_of

YEAR = date.today().year


def _request(client, world):
    return client.post(f"/s/{world.a.slug}/pilotage/rapport-annuel", data={"annee": str(YEAR)})


def _latest(session, world):
    return session.scalars(
        select(AnnualReport)
        .where(AnnualReport.structure_id == world.a.structure.id)
        .order_by(AnnualReport.created_at.desc())
    ).first()


def test_a_frozen_copy_has_its_pdf_xlsx_and_json_without_names(world, client_for, session):
    client = client_for(world.a.member("director"))
    answer = _request(client, world)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"])
    assert f"Rapport {YEAR} en préparation" in text_of(page)
    report = _latest(session, world)
    assert report.status == BatchStatus.DONE
    assert report.step == 3

    pdf = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/rapport.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert f"Rapport annuel {YEAR}" in text
    assert world.a.structure.name in text
    assert "Personnes accompagnées" in text
    assert "Méthode" in text
    for person in (world.a.employee, world.a.other_employee):
        assert person.last_name.upper() not in text.upper()

    xlsx = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/rapport.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Indicateurs", "Annexes", "Public", "Freins"]
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert "Personnes accompagnées" in cells
    assert f"ACI {YEAR}" in cells
    assert not any(
        isinstance(v, str) and world.a.employee.last_name.upper() in v.upper() for v in cells
    )

    raw = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/indicateurs.json")
    figures = json.loads(raw.data)
    assert figures["year"] == YEAR
    assert set(figures["exits"]) == {"durable", "transition", "positive", "other", "not_counted"}
    assert figures["people_served"] == report.figures["people_served"]


def test_the_page_shows_what_changed_since_the_copy(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    _request(client, world)
    frozen = _latest(session, world)
    served = frozen.figures["people_served"]
    world.a.employee.exit_date = date(YEAR, 1, 1) if date.today() > date(YEAR, 4, 1) else None
    world.a.other_employee.entry_date = date(YEAR + 1, 1, 1)  # not served this year anymore
    session.commit()
    text = text_of(client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel?annee={YEAR}"))
    assert "Ce qui a changé depuis la copie du" in text
    assert "Personnes accompagnées" in text
    assert str(served) in text


def test_a_copy_in_preparation_cannot_be_asked_twice(world, client_for, session):
    session.add(
        AnnualReport(structure_id=world.a.structure.id, year=YEAR, status=BatchStatus.RUNNING)
    )
    session.commit()
    client = client_for(world.a.member("director"))
    answer = _request(client, world)
    assert answer.status_code == 303
    text = text_of(client.get(answer.headers["Location"]))
    assert f"Le rapport {YEAR} est déjà en préparation" in text


def test_a_copy_not_ready_has_no_download(world, client_for, session):
    report = AnnualReport(structure_id=world.a.structure.id, year=YEAR, status=BatchStatus.RUNNING)
    session.add(report)
    session.commit()
    client = client_for(world.a.member("director"))
    url = f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/rapport.pdf"
    assert client.get(url).status_code == 404
    state = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/etat")
    assert "étape 0 sur 3" in text_of(state)
    assert 'hx-trigger="every 2s"' in state.get_data(as_text=True)


def test_the_copy_tells_the_situation_six_months_after_the_sorties(world, client_for, session):
    """A salarié left this year, their situation six months later is not known yet: the
    report says so in its sorties section, the workbook in its indicators."""
    employee = world.a.other_employee
    employee.exit_date, employee.exit_kind, employee.exit_reason = (
        date(YEAR, 1, 2),
        "autre",
        "demandeur_emploi",
    )
    session.commit()
    client = client_for(world.a.member("director"))
    assert _request(client, world).status_code == 303
    report = _latest(session, world)
    assert report.figures["exit_followups"]["unknown"] >= 1
    pdf = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/rapport.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Situation à 6 mois des sorties de l'année" in text
    assert "Injoignable" in text and "Non connue" in text
    xlsx = client.get(f"/s/{world.a.slug}/pilotage/rapport-annuel/{report.id}/rapport.xlsx")
    rows = {
        r[0].value: r[1].value
        for r in load_workbook(io.BytesIO(xlsx.data))["Indicateurs"].iter_rows()
    }
    assert rows["Situation à 6 mois : non connue"] == report.figures["exit_followups"]["unknown"]
