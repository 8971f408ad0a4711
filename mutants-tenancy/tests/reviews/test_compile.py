"""The compiled draft, checked against figures computed by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Immersion, ReviewStatus
from siae_app.services.reviews import compile as compiling
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.factories.observations import ObservationFactory


def _marks(employee, start: date) -> None:
    """3 days present (7 h, 6.5 h, 7 h), sick 1 day, leave 1 day, unjustified 1 day; one mark
    outside the period."""
    rows = [
        ("present", None, "7.00"),
        ("present", None, "6.50"),
        ("late", None, "7.00"),
        ("absent", "maladie", "0"),
        ("absent", "conge", "0"),
        ("absent", "injustifiee", "0"),
    ]
    for i, (status, motif, hours) in enumerate(rows):
        AttendanceFactory(
            structure_id=employee.structure_id,
            employee_id=employee.id,
            day=start + timedelta(days=i),
            status=status,
            motif=motif,
            hours_worked=Decimal(hours),
        )
    AttendanceFactory(
        structure_id=employee.structure_id,
        employee_id=employee.id,
        day=start - timedelta(days=3),
        hours_worked=Decimal("7.00"),
    )


def test_attendance_figures(world):
    site = world.a
    start = date.today() - timedelta(days=20)
    _marks(site.employee, start)
    with tenancy.tenant_scope(db.session, site.structure.id):
        part = compiling.attendance_part(db.session, site.employee.id, start, date.today())
    # due days = 3 present + 3 absent − 1 planned (congé) = 5 ; 3 / 5 = 60 %
    assert part["rate"] == 60
    assert part["hours"] == "20.50"
    assert part["present_days"] == 3 and part["absent_days"] == 3
    assert {a["motif"]: a["count"] for a in part["absences"]} == {
        "maladie": 1,
        "injustifiee": 1,
        "conge": 1,
    }


def test_evaluation_progress_since_the_previous_validated_level(world):
    site = world.a
    # A salarié with no other assessment (the world's employee has some).
    employee = f.make_employee(
        site.structure.id, site.team, site.member("cip"), last_name="Progression"
    )
    today = date.today()
    start = today - timedelta(days=30)
    f.make_levelled_assessment(
        employee,
        today - timedelta(days=90),
        [("Tondre une pelouse", "En cours d'acquisition", 2), ("Tailler une haie", "Acquis", 3)],
    )
    f.make_levelled_assessment(
        employee,
        today - timedelta(days=10),
        [
            ("Tondre une pelouse", "Acquis", 3),
            ("Tailler une haie", "En cours d'acquisition", 2),
            ("Débroussailler", "Acquis", 3),
            ("Désherber", None, None),
        ],
    )
    # Not validated: left out.
    f.make_levelled_assessment(
        employee, today - timedelta(days=5), [("Tondre", "Maîtrisé", 4)], locked_at=None
    )
    with tenancy.tenant_scope(db.session, site.structure.id):
        part = compiling.evaluations_part(db.session, employee.id, start, today)
    assert len(part) == 1
    lines = {i["label"]: (i["level"], i["previous"], i["change"]) for i in part[0]["items"]}
    assert lines == {
        "Tondre une pelouse": ("Acquis", "En cours d'acquisition", "En progrès"),
        "Tailler une haie": ("En cours d'acquisition", "Acquis", "En recul"),
        "Débroussailler": ("Acquis", None, "Première évaluation"),
        "Désherber": ("Non évalué", None, "Non évalué"),
    }


def test_freins_exclude_sensitive_axes_and_show_their_change(world):
    site = world.a
    cip = site.member("cip")
    frein = site.followup["barrier"]  # mobilité, identifié
    f.make_barrier(site.employee, cip, "sante", comment="Suivi au CMP")
    previous = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        status=ReviewStatus.HELD,
        compiled={"barriers": [{"id": str(frein.id), "status": "identifie", "level": 4}]},
    )
    frein.status, frein.level = "en_cours", 3
    db.session.commit()
    with tenancy.tenant_scope(db.session, site.structure.id):
        part = compiling.barriers_part(db.session, site.employee.id, previous)
    assert [(b["axis"], b["status_label"], b["change"]) for b in part] == [
        ("Mobilité", "En cours de levée", "En amélioration")
    ]
    assert "CMP" not in str(part)


def test_open_compiles_the_period_since_the_previous_bilan(world, session):
    from siae_app.services.reviews import workflow

    site = world.a
    today = date.today()
    site.review.period_end = today - timedelta(days=40)
    for label, nature, status in (
        ("Formation CACES R489", "formation", "prevue"),
        ("Immersion chez un paysagiste", "pmsmp", "en_cours"),
    ):
        f.ActionFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            label=label,
            nature=nature,
            status=status,
        )
    ObservationFactory(
        structure_id=site.structure.id, employee_id=site.employee.id, text="Très bon geste"
    )
    session.commit()
    with tenancy.tenant_scope(db.session, site.structure.id):
        review = workflow.open_review(
            db.session,
            employee=site.employee,
            membership=site.member("cip"),
            kind="intermediate",
            due_on=None,
            today=today,
        )
    assert review.period_start == today - timedelta(days=39)
    assert review.compiled["period"] == {
        "start": (today - timedelta(days=39)).isoformat(),
        "end": today.isoformat(),
    }
    assert [t["label"] for t in review.compiled["trainings"]["trainings"]] == [
        "Formation CACES R489"
    ]
    assert [t["label"] for t in review.compiled["trainings"]["pmsmp_actions"]] == [
        "Immersion chez un paysagiste"
    ]
    kinds = sorted({fu.kind for fu in review.followups})
    assert kinds == ["action", "goal", "objective"]  # the world's employee has a goal


def test_the_pmsmp_of_the_period_are_its_conventions_when_there_are(world, session):
    site = world.a
    today = date.today()
    f.ActionFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        label="Immersion notée en action",
        nature="pmsmp",
        status="en_cours",
    )
    host = f.PartnerFactory(structure_id=site.structure.id, name="Pépinière Bleue")
    session.add(
        Immersion(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            partner_id=host.id,
            object_kind="confirmer",
            objectives="Confirmer le projet.",
            start_date=today - timedelta(days=30),
            end_date=today - timedelta(days=20),
            days=7,
            objectives_reached="non",
        )
    )
    session.commit()
    start, end = today - timedelta(days=60), today
    with tenancy.tenant_scope(db.session, site.structure.id):
        compiled = compiling.compile_period(db.session, site.employee, start, end, None)
        before = compiling.compile_period(
            db.session, site.employee, start, today - timedelta(days=31), None
        )
    trainings = compiled["trainings"]
    assert [(c["host"], c["days"], c["reached"]) for c in trainings["pmsmp_conventions"]] == [
        ("Pépinière Bleue", 7, "Non")
    ]
    assert trainings["pmsmp_actions"] == [] and trainings["pmsmp_days"] == 7
    # A period the convention does not meet: the actions, as before the conventions.
    assert before["trainings"]["pmsmp_conventions"] == []
    assert [a["label"] for a in before["trainings"]["pmsmp_actions"]] == [
        "Immersion notée en action"
    ]
