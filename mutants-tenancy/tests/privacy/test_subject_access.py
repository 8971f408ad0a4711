"""« Données détenues »: everything held about one salarié, as the page, the PDF and the JSON
(valid against its schema), built from the register; authors as roles; sensitive content
only for the roles that read it, and said when left out; logged; a bounded number of queries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import delete, select

from siae_app.extensions import db
from siae_app.models import AccessLog
from siae_app.privacy.registry import personal_entries
from siae_app.services.privacy import subject_access
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.querycount import count_queries
from tests.site import text_of

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "siae_app/privacy/subject_access.schema.json").read_text(
        encoding="utf-8"
    )
)
WITHHELD = "Des éléments sensibles existent mais votre rôle ne permet pas de les lire"


def _url(site, ext: str = "") -> str:
    return f"/s/{site.slug}/salaries/{site.employee.id}/donnees-detenues{ext}"


def _observation(site, text: str, *, sensitive=False, author="eti", employee=None):
    employee = employee or site.employee
    return ObservationFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member(author).id,
        text=text,
        sensitive=sensitive,
    )


@pytest.fixture
def file(world, session):
    """world.a.employee's file with a sensitive observation and a confidential note, and
    texts of another salarié and of the other structure that must never appear."""
    a, b = world.a, world.b
    _observation(a, "Très ponctuel cette semaine")
    _observation(a, "Évoque un suivi psychiatrique", sensitive=True, author="cip")
    f.make_note(a.employee, a.member("cip"), "Note confidentielle du CIP", confidential=True)
    _observation(a, "Texte d'un autre salarié", employee=a.other_employee)
    _observation(b, "Texte de l'autre structure")
    session.commit()
    return a


def _sections(data) -> dict[str, dict]:
    return {s["table"]: s for c in data["categories"] for s in c["sections"]}


def _texts(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_the_json_holds_the_file_from_every_category_and_validates(file, client_for):
    response = client_for(file.member("cip")).get(_url(file, ".json"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".json" in disposition
    assert "/" not in disposition.split("filename=")[1].split(";")[0]
    data = json.loads(response.get_data(as_text=True))
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["schema"] == "parcours-siae/donnees-detenues/1"
    assert data["structure"]["name"] == "ACI Alpha"
    assert data["person"]["last_name"] == file.employee.last_name
    assert data["produced_by"] == {"role": "Conseiller·ère en insertion (CIP)"}
    sections = _sections(data)
    # Every entry of the register is a section: a new table appears without code.
    assert {e.table for e in personal_entries()} == set(sections)
    observations = [r["text"] for r in sections["observations"]["rows"]]
    assert "Très ponctuel cette semaine" in observations
    contract = file.employee.contracts[0]
    assert sections["contracts"]["rows"][0]["start_date"] == contract.start_date.isoformat()
    assert sections["contracts"]["rows"][0]["end_date"] == contract.end_date.isoformat()
    assert sections["interviews"]["rows"][0]["summary"] == "Point sur le parcours."
    assert sections["reviews"]["rows"][0]["cip_synthesis"] in (
        "Parcours engagé alpha",
        "Sortie préparée alpha",
    )
    # A reference to a list of the structure is kept as its label, ids never.
    assert sections["barriers"]["rows"][0]["axis"] == "Mobilité"
    for section in sections.values():
        for row in section["rows"]:
            assert not {"id", "structure_id", "employee_id", "version_id"} & set(row)
    # A stored file is said, not copied.
    attestation = sections["attestations"]["rows"][0]
    assert attestation["pdf"] is None or attestation["pdf"].startswith("document PDF conservé (")
    text = _texts(data)
    assert "Texte d'un autre salarié" not in text
    assert "Texte de l'autre structure" not in text
    assert "Nordbeta" not in text and file.other_employee.last_name not in text


def test_authors_are_roles_never_staff_names(file, client_for):
    data = json.loads(client_for(file.member("coordinator")).get(_url(file, ".json")).data)
    rows = {r["text"]: r for r in _sections(data)["observations"]["rows"]}
    assert rows["Très ponctuel cette semaine"]["author"] == "Encadrant·e technique (ETI)"
    assert _sections(data)["interviews"]["rows"][0]["author"] == "Conseiller·ère en insertion (CIP)"
    text = _texts(data)
    for member in file.members.values():
        assert member.user.full_name not in text, member.user.full_name
        assert str(member.id) not in text
        assert member.user.email not in text


def test_sensitive_content_goes_to_the_roles_that_read_it(file, client_for, session):
    for role in ("cip", "coordinator"):
        data = json.loads(client_for(file.member(role)).get(_url(file, ".json")).data)
        text = _texts(data)
        assert "Évoque un suivi psychiatrique" in text, role
        assert "Note confidentielle du CIP" in text, role
        assert data["sensitive"] == {"included": True, "withheld": 0, "note": None}
        assert _sections(data)["observations"]["sensitive"] is True

    data = json.loads(client_for(file.member("director")).get(_url(file, ".json")).data)
    text = _texts(data)
    assert "Évoque un suivi psychiatrique" not in text
    assert "Note confidentielle du CIP" not in text
    assert "Très ponctuel cette semaine" in text
    assert data["sensitive"]["included"] is False
    assert data["sensitive"]["withheld"] >= 2
    assert data["sensitive"]["note"].startswith(WITHHELD)
    assert _sections(data)["observations"]["withheld"] == 1
    assert _sections(data)["diagnostic_notes"]["withheld"] == 1

    page = client_for(file.member("director")).get(_url(file))
    assert WITHHELD in text_of(page)
    assert "data-sensitive" not in page.get_data(as_text=True)


def test_the_pdf_says_what_is_held_and_what_was_left_out(file, client_for, app):
    response = client_for(file.member("director")).get(_url(file, ".pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert ".pdf" in response.headers["Content-Disposition"]
    # The PDF's HTML: the cover, the texts, the note; sensitive sections marked.
    with app.test_request_context():
        data = subject_access.collect(db.session, file.employee, file.member("cip"))
        from flask import render_template

        html = render_template(
            "pdf/subject_access.html",
            title="x",
            structure=file.structure,
            data=data,
            show=subject_access.display,
            filled=subject_access.filled_columns,
        )
    assert "Conseiller·ère en insertion (CIP)" in html
    assert "Très ponctuel cette semaine" in html
    assert "<section data-sensitive>\n<h3>Observations du chantier" in html
    assert "Évoque un suivi psychiatrique" in html.split("<section data-sensitive>", 2)[1]


def test_the_page_lists_the_categories_with_their_counts_and_the_downloads(file, client_for):
    response = client_for(file.member("cip")).get(_url(file))
    assert response.status_code == 200
    text = text_of(response)
    assert "Données détenues sur" in text
    assert "Accompagnement socioprofessionnel" in text
    assert "Observations du chantier : 2" in text  # the non-sensitive one and the sensitive one
    assert "Télécharger le PDF" in text and "Télécharger le JSON" in text
    assert WITHHELD not in text
    show = client_for(file.member("cip")).get(f"/s/{file.slug}/salaries/{file.employee.id}")
    assert "Données détenues" in text_of(show)
    show_eti = client_for(file.member("eti")).get(f"/s/{file.slug}/salaries/{file.employee.id}")
    assert show_eti.status_code == 200 and "Données détenues" not in text_of(show_eti)


@pytest.mark.parametrize("role", ["eti", "admin"])
def test_other_roles_are_refused(file, client_for, role):
    client = client_for(file.member(role))
    for ext in ("", ".pdf", ".json"):
        assert client.get(_url(file, ext)).status_code == 403


def test_another_structure_salarie_is_not_found(world, client_for):
    a, b = world.a, world.b
    client = client_for(a.member("cip"))
    for ext in ("", ".pdf", ".json"):
        assert (
            client.get(f"/s/{a.slug}/salaries/{b.employee.id}/donnees-detenues{ext}").status_code
            == 404
        )
        assert (
            client.get(f"/s/{b.slug}/salaries/{a.employee.id}/donnees-detenues{ext}").status_code
            == 404
        )


def test_each_download_writes_its_access_log_row_with_the_sensitive_flag(file, client_for, session):
    session.execute(delete(AccessLog))
    session.commit()
    for role, sensitive in (("cip", True), ("director", False)):
        for ext, part in (
            (".json", "employees.subject_access_json"),
            (".pdf", "employees.subject_access_pdf"),
        ):
            assert client_for(file.member(role)).get(_url(file, ext)).status_code == 200
            rows = session.scalars(select(AccessLog)).all()
            session.execute(delete(AccessLog))
            session.commit()
            assert len(rows) == 1, (role, ext)
            row = rows[0]
            assert row.employee_id == file.employee.id
            assert row.membership_id == file.member(role).id
            assert (row.part, row.action, row.sensitive) == (part, "download", sensitive)


def _queries(site, membership) -> int:
    with count_queries() as counter:
        subject_access.collect(db.session, site.employee, membership)
    return counter.count


def test_the_number_of_queries_does_not_grow_with_the_file(file, session):
    cip = file.member("cip")
    session.expire_all()
    one = _queries(file, cip)
    for i in range(9):
        _observation(file, f"Observation {i}", sensitive=i % 2 == 0)
        f.InterviewFactory(
            structure_id=file.structure.id,
            employee_id=file.employee.id,
            author_id=cip.id,
            held_on=date(2025, 1, i + 1),
        )
    session.commit()
    session.expire_all()
    ten = _queries(file, cip)
    assert one == ten
    # one per entry of the register; the structure, the team and their accounts; the salarié
    assert ten <= len(personal_entries()) + 4
