"""The purge applies the register's durations: data of several ages, both sides of each
duration, nothing identifying left in an anonymised file, the funders' counts unchanged, the
other structure untouched, a record of what was done and nothing changed by a dry run."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import (
    AccessLog,
    Attestation,
    Base,
    ChangeRecord,
    Employee,
    Interview,
    Observation,
    PurgeRecord,
    Review,
)
from siae_app.privacy.registry import personal_entries
from siae_app.services.employees.dates import add_months
from siae_app.services.funding import report
from siae_app.services.privacy import purge, retention
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.site import text_of

TABLES = Base.metadata.tables
TODAY = date.today()
# Competency labels copied from the structure's grids: not about the person.
NOT_PERSONAL = {("assessment_items", "label"), ("learning_sessions", "competency_label")}


def _cells(session, structure_id, kinds=("Text", "JSON")) -> dict[tuple[str, str], set[str]]:
    """Every non-empty value of the text columns of the tables about salariés, by column."""
    out: dict[tuple[str, str], set[str]] = {}
    for table_name in sorted({e.table for e in personal_entries()}):
        table = TABLES[table_name]
        cols = [
            c
            for c in table.columns
            if type(c.type).__name__ in kinds and (table_name, c.name) not in NOT_PERSONAL
        ]
        if not cols:
            continue
        rows = session.execute(select(*cols).where(table.c.structure_id == structure_id))
        for row in rows:
            for col, value in zip(cols, row, strict=True):
                if value in (None, "", {}, []):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                out.setdefault((table_name, col.name), set()).add(text)
    return out


def _everything(session, structure_id) -> str:
    cells = _cells(session, structure_id, kinds=("Text", "JSON", "String"))
    return "\n".join(v for values in cells.values() for v in values).lower()


def _old_file(site, *, last_contact: date, name: str) -> Employee:
    """A salarié whose contract and sortie end on ``last_contact``, with a note of that day."""
    sid = site.structure.id
    employee = f.EmployeeFactory(
        structure_id=sid,
        last_name=name,
        email=f"{name.lower()}@example.org",
        entry_date=last_contact - timedelta(days=300),
        exit_date=last_contact,
        exit_kind="emploi_durable",
        exit_reason="cdi",
    )
    f.ContractFactory(
        structure_id=sid,
        employee_id=employee.id,
        start_date=last_contact - timedelta(days=300),
        end_date=last_contact,
    )
    ObservationFactory(
        structure_id=sid,
        employee_id=employee.id,
        author_id=site.member("eti").id,
        observed_on=last_contact,
        text=f"Observation sur {name} : très bon travail en équipe.",
    )
    return employee


def _run(session, site, today, **kw):
    tenancy.activate_system(session)
    outcomes = purge.run(session, site.structure, today, **kw)
    session.flush()
    session.expire_all()
    return {o.rule.value: o for o in outcomes}


# ---- the accompaniment rule: both sides of two years after the last contact


def test_the_accompaniment_goes_two_years_after_the_last_contact_not_a_day_before(world, session):
    site = world.a
    due = _old_file(site, last_contact=add_months(TODAY, -24), name="Ancien")
    kept = _old_file(site, last_contact=add_months(TODAY, -24) + timedelta(days=1), name="Recent")

    out = _run(session, site, TODAY)

    assert [d.employee_id for d in out["accompaniment"].due] == [due.id]
    assert session.get(Employee, due.id).accompaniment_erased_on == TODAY
    assert session.get(Employee, due.id).email is None
    assert session.get(Employee, kept.id).accompaniment_erased_on is None
    assert session.get(Employee, kept.id).email == "recent@example.org"
    texts = set(
        session.scalars(
            select(Observation.text).where(Observation.structure_id == site.structure.id)
        )
    )
    assert not any("Ancien" in t for t in texts)
    assert any("Recent" in t for t in texts)
    # The person is still named: their employment records are kept five years.
    assert session.get(Employee, due.id).last_name == "Ancien"


def test_a_later_contact_keeps_the_file_open(world, session):
    site = world.a
    employee = _old_file(site, last_contact=add_months(TODAY, -30), name="Suivi")
    f.InterviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member("cip").id,
        held_on=add_months(TODAY, -6),  # the CIP saw them six months ago
    )
    out = _run(session, site, TODAY)
    assert employee.id not in {d.employee_id for d in out["accompaniment"].due}


def test_a_structure_that_lengthened_the_duration_keeps_the_file(world, session):
    site = world.a
    employee = _old_file(site, last_contact=add_months(TODAY, -30), name="Garde")
    retention.lengthen(
        session, site.structure.id, purge.Rule.ACCOMPANIMENT, 36, "Contentieux prud'homal", None
    )
    out = _run(session, site, TODAY)
    assert out["accompaniment"].months == 36
    assert employee.id not in {d.employee_id for d in out["accompaniment"].due}


# ---- the employment rule: both sides of five years after the end of the last contract


def test_the_person_is_anonymised_five_years_after_their_last_contract(world, session):
    site = world.a
    due = _old_file(site, last_contact=add_months(TODAY, -60), name="Cinqans")
    kept = _old_file(site, last_contact=add_months(TODAY, -60) + timedelta(days=1), name="Presque")

    out = _run(session, site, TODAY)

    assert [d.employee_id for d in out["employment"].due] == [due.id]
    gone = session.get(Employee, due.id)
    assert gone.last_name == purge.ANONYMOUS and gone.birth_date is None
    assert "Cinqans" not in gone.display_name and gone.anonymised_on == TODAY
    # What the counts need stays: sex, dates, sortie, and the age band at entry.
    assert gone.exit_date == add_months(TODAY, -60) and gone.exit_kind == "emploi_durable"
    assert gone.age_band == "26_49"
    # Its texts went first (in the same run), though its accompaniment rule is the same day.
    assert gone.accompaniment_erased_on == TODAY
    assert session.get(Employee, kept.id).last_name == "Presque"
    assert session.get(Employee, kept.id).accompaniment_erased_on == TODAY  # 5 years > 2


# ---- a whole file, years later: nothing that names the person, the same counts


def _figures(session, structure, years):
    tenancy.activate(session, structure.id)
    try:
        return {y: report.figures(session, structure, y, TODAY) for y in years}
    finally:
        tenancy.activate_system(session)


def test_years_later_nothing_names_the_salarie_and_the_funders_counts_are_the_same(world, session):
    a, b = world.a, world.b
    session.add(
        ChangeRecord(
            structure_id=a.structure.id,
            membership_id=a.member("cip").id,
            entity="employee",
            entity_id=a.employee.id,
            employee_id=a.employee.id,
            field="phone",
            old_value="06 99 88 77 66",
            new_value=a.employee.phone,
        )
    )
    session.flush()
    ObservationFactory(
        structure_id=a.structure.id,
        employee_id=a.employee.id,
        author_id=a.member("eti").id,
        text="Arrive en retard, parle de difficultés de garde d'enfant.",
    )
    a.review.compiled = {"observations": [{"text": "Très bonne entente avec l'équipe."}]}
    session.flush()
    names = [(e.last_name, e.phone) for e in (a.employee, a.other_employee)]
    before_texts = _cells(session, a.structure.id)
    assert ("observations", "text") in before_texts, sorted(before_texts)
    assert ("reviews", "compiled") in before_texts, sorted(before_texts)
    assert ("attestations", "content") in before_texts
    years = [TODAY.year - 1, TODAY.year]
    before = _figures(session, a.structure, years)
    b_before = _cells(session, b.structure.id)

    later = add_months(TODAY, 12 * 7)
    out = _run(session, a, later)

    after_texts = _cells(session, a.structure.id)
    left = {
        key: values & before_texts.get(key, set())
        for key, values in after_texts.items()
        if values & before_texts.get(key, set())
    }
    assert left == {}, f"encore là : {left}"
    everything = _everything(session, a.structure.id)
    for last_name, phone in names:
        assert last_name.lower() not in everything and phone not in everything
    # Stored documents: the attestation's PDF and frozen content, the bilans' frozen period.
    signed = session.scalars(
        select(Attestation).where(Attestation.structure_id == a.structure.id)
    ).all()
    assert signed and all(x.pdf is None and x.content == {} for x in signed)
    assert all(x.expired_on == later for x in signed if x.signed_on)
    assert all(
        r.compiled == {}
        for r in session.scalars(select(Review).where(Review.structure_id == a.structure.id))
    )
    history = session.execute(
        select(
            ChangeRecord.entity, ChangeRecord.field, ChangeRecord.old_value, ChangeRecord.new_value
        ).where(ChangeRecord.structure_id == a.structure.id)
    ).all()
    assert history and all(
        (old, new) == (None, None) for entity, field, old, new in history if entity != "frein"
    )
    # The counts of the years already reported are the same.
    assert _figures(session, a.structure, years) == before
    # The other structure: untouched.
    assert _cells(session, b.structure.id) == b_before
    assert session.get(Employee, b.employee.id).last_name == b.employee.last_name
    # Records: one per rule that did something, counts only.
    records = session.scalars(
        select(PurgeRecord).where(PurgeRecord.structure_id == a.structure.id)
    ).all()
    assert {r.rule for r in records} >= {"accompaniment", "employment", "attestation"}
    employment = next(r for r in records if r.rule == "employment")
    assert employment.people == len(out["employment"].due) >= 2
    assert employment.counts["employees"] == employment.people
    assert "nord" not in json.dumps(employment.counts).lower()
    assert employment.command == "flask rgpd purge"


def test_a_dry_run_lists_who_and_what_and_changes_nothing(world, session):
    site = world.a
    employee = _old_file(site, last_contact=add_months(TODAY, -61), name="Essai")
    before = _cells(session, site.structure.id)
    out = _run(session, site, TODAY, dry_run=True)
    due = {d.employee_id: d for d in out["employment"].due}
    assert due[employee.id].name == employee.display_name
    assert due[employee.id].counts == {"employees": 1}
    erased = {d.employee_id: d for d in out["accompaniment"].due}
    assert erased[employee.id].counts == {"employees": 1, "observations": 1}
    assert _cells(session, site.structure.id) == before
    assert session.get(Employee, employee.id).last_name == "Essai"
    assert session.scalar(select(func.count()).select_from(PurgeRecord)) == 0


def test_old_access_log_lines_go_after_their_year(world, session):
    site = world.a
    from datetime import UTC, datetime

    for days in (400, 300):
        f.AccessLogFactory(
            structure_id=site.structure.id,
            membership_id=site.member("cip").id,
            employee_id=site.employee.id,
            at=datetime.now(UTC) - timedelta(days=days),
        )
    session.flush()
    out = _run(session, site, TODAY)
    assert out["access_log"].counts == {"access_logs": 1}
    left = session.scalars(
        select(AccessLog.at).where(AccessLog.structure_id == site.structure.id)
    ).all()
    assert len(left) == 1


@pytest.mark.parametrize("dry", [True, False], ids=["dry", "real"])
def test_the_command_says_what_it_does(app, world, dry):
    _old_file(world.a, last_contact=add_months(TODAY, -61), name="Commande")
    _old_file(world.b, last_contact=add_months(TODAY, -61), name="Autre")
    db.session.commit()
    args = ["rgpd", "purge", "--structure", world.a.slug] + (["--dry-run"] if dry else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert world.a.structure.name in result.output and world.b.structure.name not in result.output
    tenancy.activate_system(db.session)
    db.session.expire_all()
    names = set(db.session.scalars(select(Employee.last_name)))
    if dry:
        assert (
            "COMMANDE" in result.output and "Essai à blanc : rien n'a été changé." in result.output
        )
        assert "Commande" in names
    else:
        assert "Commande" not in names and "Autre" in names
    unknown = app.test_cli_runner().invoke(args=["rgpd", "purge", "--structure", "nulle-part"])
    assert unknown.exit_code != 0 and "Aucune structure « nulle-part »" in unknown.output


def test_interviews_stay_counted_without_their_summary(world, session):
    site = world.a
    employee = _old_file(site, last_contact=add_months(TODAY, -30), name="Entretien")
    interview = f.InterviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member("cip").id,
        held_on=add_months(TODAY, -30),
        summary="Parle de sa dette de loyer.",
    )
    _run(session, site, TODAY)
    row = session.get(Interview, interview.id)
    assert row is not None and row.held_on == add_months(TODAY, -30)
    assert not row.summary


def test_an_expired_attestation_says_so_on_the_public_page_and_names_no_one(world, client, session):
    from siae_app.services.attestations.signing import grouped

    site = world.b  # the public lookup crosses structures
    attestation = site.attestation
    url = f"/verifier/{grouped(attestation.verification_code)}"
    assert "Attestation valide" in text_of(client.get(url))
    out = _run(session, site, add_months(attestation.signed_on, 60))
    assert out["attestation"].counts == {"attestations": 1}
    db.session.commit()
    page = text_of(client.get(url))
    assert "Attestation expirée" in page and "Attestation valide" not in page
    assert site.structure.name in page and grouped(attestation.verification_code) in page
    assert site.employee.last_name.upper() not in page.upper()
    assert site.employee.first_name not in page
