"""A text typed by a person never runs as a formula in any spreadsheet the app produces.

The exports are found by asking every structure page (GET) which ones answer a file, not
listed by hand: a new CSV or XLSX export fails ``test_every_spreadsheet_export_is_checked``
until it gets a checker here. Each checker stores a formula in every text column the export
shows (``=``, ``+``, ``-``, ``@``, tab, carriage return at the start, or after spaces that
a spreadsheet may trim on import), downloads the file,
reads it back with ``csv`` or openpyxl, and checks that each of those cells starts with the
guard ``'`` followed by exactly what was stored, and that no cell of the file starts with a
formula character. The formula starts are written here, not imported, so that shortening the
app's list fails this test.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from flask import url_for
from openpyxl import load_workbook

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import (
    AnnualReport,
    BarrierAxis,
    EligibilityCriterion,
    EmployeeCriterion,
    PaidHours,
)
from siae_app.services.attestations import batch as attestation_batch
from siae_app.services.frameworks.storage import save_parsed
from siae_app.services.frameworks.tree import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)
from siae_app.services.funding import report as report_service
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.factories.diagnostic import make_barrier
from tests.routes import build_path, structure_rules

POISONS = ("=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", " =1+1", "\u00a0 +1+1")
# What a spreadsheet runs; "\n" too because openpyxl reads a stored "\r" back as "\n".
RUNS = ("=", "+", "-", "@", "\t", "\r", "\n")
TAG = "§"  # marks every poisoned text, to find its cells in the file
GUARD = "'"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEETS = ("text/csv", XLSX)
ROLES = ("coordinator", "cip", "director")


def poisoned(poison: str, what: str) -> str:
    return f"{poison}{TAG}{what}"


@dataclass
class Sheet:
    """The cells of a downloaded spreadsheet, and what every formula-like cell must be."""

    rows: list[list]
    formulas: list[str] = field(default_factory=list)  # cells read back as formulas (XLSX)


def read_csv(answer) -> Sheet:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True).lstrip("\ufeff")
    return Sheet([list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=";")])


def read_xlsx(answer) -> Sheet:
    assert answer.status_code == 200 and answer.mimetype == XLSX
    book = load_workbook(io.BytesIO(answer.data))
    rows, formulas = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            rows.append([c.value for c in row])
            formulas += [c.coordinate for c in row if c.data_type == "f"]
    return Sheet(rows, formulas)


def check_sheet(sheet: Sheet, columns: set[int], poisons_per_column: int = len(POISONS)):
    """No cell runs; every tagged cell is the guard then the stored text; the tagged cells
    cover ``columns``, each with every poison."""
    assert sheet.formulas == []
    seen: dict[int, set[str]] = {}
    for row in sheet.rows:
        for index, cell in enumerate(row):
            if not isinstance(cell, str):
                continue
            # a spreadsheet that trims the spaces of a cell on import would run what follows
            assert not cell.lstrip(" \u00a0").startswith(RUNS), f"non neutralisée : {cell!r}"
            if TAG in cell:
                assert cell.startswith(GUARD), cell
                bare = cell[1:].replace("\n", "\r") if cell[1:2] == "\n" else cell[1:]
                start = next((p for p in POISONS if bare.startswith(p)), None)
                assert start is not None, f"{cell!r} : formule stockée altérée"
                seen.setdefault(index, set()).add(start)
    assert set(seen) == columns, seen
    for index, starts in seen.items():
        assert len(starts) == poisons_per_column, (index, starts)


# ------------------------------------------------------------------ the poisoned data


@pytest.fixture
def poisoned_site(app, world, session):
    """In structure A, per formula: a team, a référent and a salarié whose every text starts
    with it (their PASS number, an eligibility criterion, a frein's axis, the motif of this
    month's paid hours too), marked present today in that team; a framework whose every text
    does; and this year's annual report built from them."""
    site = world.a
    sid = site.structure.id
    frameworks = []
    month = date.today().replace(day=1)
    for i, poison in enumerate(POISONS):
        team = f.TeamFactory(structure_id=sid, name=poisoned(poison, f"Équipe{i}"))
        referent = f.MembershipFactory(
            structure=site.structure,
            roles=["cip"],
            user=f.UserFactory(
                email=f"referent{i}@example.org",
                first_name=poisoned(poison, f"Réf{i}"),
                last_name=poisoned(poison, f"Érent{i}"),
            ),
        )
        employee = f.EmployeeFactory(
            structure_id=sid,
            team_id=team.id,
            referent_id=referent.id,
            last_name=poisoned(poison, f"Nom{i}"),
            usage_name=poisoned(poison, f"Usage{i}"),
            first_name=poisoned(poison, f"Prénom{i}"),
        )
        contract = f.ContractFactory(structure_id=sid, employee_id=employee.id)
        f.PassIaeFactory(
            structure_id=sid, employee_id=employee.id, number=poisoned(poison, f"P{i}")
        )
        session.add(
            PaidHours(
                structure_id=sid,
                employee_id=employee.id,
                contract_id=contract.id,
                month=month,
                hours=Decimal("90"),
                motif=poisoned(poison, f"Motif{i}"),
            )
        )
        criterion = EligibilityCriterion(
            structure_id=sid, key=f"poison{i}", label=poisoned(poison, f"Critère{i}")
        )
        axis = BarrierAxis(structure_id=sid, key=f"poison{i}", label=poisoned(poison, f"Axe{i}"))
        session.add_all([criterion, axis])
        session.flush()
        session.add(
            EmployeeCriterion(structure_id=sid, employee_id=employee.id, criterion_id=criterion.id)
        )
        session.commit()
        make_barrier(employee, site.member("cip"), key=f"poison{i}")
        AttendanceFactory(
            structure_id=sid,
            employee_id=employee.id,
            team_id=team.id,
            day=date.today(),
            hours_worked=Decimal("7"),
        )
        with tenancy.tenant_scope(session, sid):
            frameworks.append(save_parsed(session, _framework(poison, i), source="structure"))
    session.commit()
    with tenancy.tenant_scope(session, sid):
        report = AnnualReport(structure_id=sid, year=date.today().year, step=0)
        session.add(report)
        report_service.build(session, report, site.structure, lambda *_: b"%PDF-1.7")
    session.commit()
    return {"app": app, "site": site, "frameworks": frameworks, "report": report}


def url(data, endpoint: str, **values) -> str:
    with data["app"].test_request_context():
        return url_for(endpoint, structure_slug=data["site"].slug, **values)


def _framework(poison: str, i: int) -> ParsedFramework:
    def p(what: str) -> str:
        return poisoned(poison, f"{what}{i}")

    def competency(kind: str, number: int | None) -> ParsedCompetency:
        return ParsedCompetency(
            number=number,
            title=p("Comp"),
            kind=kind,
            description=p("Desc"),
            criteria=[ParsedCriterion(text=p("Crit"))],
            knowledge={key: [p("Sav")] for key in KNOWLEDGE_KEYS},
        )

    return ParsedFramework(
        title=p("Titre"),
        acronym=p("S"),
        code=p("C"),
        level=p("N"),
        version=p("M"),
        validated_on=None,
        updated_on=None,
        blocks=[
            ParsedBlock(
                number=1,
                title=p("Bloc"),
                kind="activity",
                description=p("Activ"),
                competencies=[competency("professional", 1)],
            )
        ],
        transversal=[competency("transversal", None)],
    )


# ------------------------------------------------------------------ one checker per export


def attendance_month(client, data, reader):
    answer = client.get(f"/s/{data['site'].slug}/presences/{reader}?mois={date.today():%Y-%m}")
    sheet = read_csv(answer) if reader == "export.csv" else read_xlsx(answer)
    check_sheet(sheet, {0, 1, 2})  # Nom, Prénom, Équipe


def employees_list(client, data):
    sheet = read_csv(client.get(f"/s/{data['site'].slug}/salaries/export.csv"))
    # Nom, Nom d'usage, Prénom, Équipe, Référent·e
    check_sheet(sheet, {0, 1, 2, 4, 5})


def framework_csv(client, data):
    for fw in data["frameworks"]:
        sheet = read_csv(client.get(f"/s/{data['site'].slug}/referentiels/{fw.id}/export.csv"))
        # activite_intitule, competence_intitule, texte (titre's information, descriptions,
        # criteria, knowledge): one poison per framework.
        check_sheet(sheet, {3, 5, 7}, poisons_per_column=1)


def funding_month(client, data, endpoint):
    answer = client.get(url(data, endpoint))
    sheet = read_csv(answer) if endpoint.endswith("csv") else read_xlsx(answer)
    check_sheet(sheet, {0, 1, 2, 8})  # Nom, Prénom, N° PASS IAE, Motif de l'écart


def annual_report(client, data):
    answer = client.get(url(data, "s.funding.annual_report_xlsx", report_id=data["report"].id))
    # Sheet « Public », column Catégorie (the criteria); sheet « Freins », column Axe.
    check_sheet(read_xlsx(answer), {0, 1})


CHECKERS = {
    "s.attendance.export_csv": lambda c, d: attendance_month(c, d, "export.csv"),
    "s.attendance.export_xlsx": lambda c, d: attendance_month(c, d, "export.xlsx"),
    "s.employees.export_csv": employees_list,
    "s.frameworks.export_csv": framework_csv,
    "s.funding.monthly_csv": lambda c, d: funding_month(c, d, "s.funding.monthly_csv"),
    "s.funding.monthly_xlsx": lambda c, d: funding_month(c, d, "s.funding.monthly_xlsx"),
    "s.funding.annual_report_xlsx": annual_report,
}


def _downloads(app, world, client_for) -> dict[str, tuple[str, object]]:
    """{endpoint: (mimetype, answer)} of every structure page that answers a file."""
    found = {}
    clients = [client_for(world.a.member(role)) for role in ROLES]
    for rule in structure_rules(app):
        if "GET" not in (rule.methods or ()):
            continue
        path = build_path(app, rule, world.a)
        for client in clients:
            answer = client.get(path)
            if "attachment" in answer.headers.get("Content-Disposition", ""):
                found[rule.endpoint] = (answer.mimetype, answer)
                break
    return found


def test_every_spreadsheet_export_is_checked(app, world, client_for, session):
    # The world's batch archive is rebuilt by the service, as the job builds it.
    with tenancy.tenant_scope(session, world.a.structure.id):
        attestation_batch.build(session, world.a.attestation_batch)
    session.commit()
    downloads = _downloads(app, world, client_for)
    spreadsheets = {e for e, (mimetype, _) in downloads.items() if mimetype in SPREADSHEETS}
    assert spreadsheets == set(CHECKERS)
    # An archive holds PDFs only: a spreadsheet inside it would need a checker too.
    archives = [a for mimetype, a in downloads.values() if mimetype == "application/zip"]
    assert archives
    for answer in archives:
        names = zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
        assert names and all(n.endswith(".pdf") for n in names), names


@pytest.mark.parametrize("endpoint", sorted(CHECKERS))
def test_formulas_are_neutralised_in_every_text_column(endpoint, poisoned_site, world, client_for):
    CHECKERS[endpoint](client_for(world.a.member("coordinator")), poisoned_site)


def test_the_poisoned_texts_are_stored_as_typed(poisoned_site, session):
    """The guard is the export's: the database keeps the text as it was written."""
    fw = poisoned_site["frameworks"][4]
    assert fw.title == "\t=1+1§Titre4"
    assert db.session.get(type(fw), fw.id).acronym == "\t=1+1§S4"
