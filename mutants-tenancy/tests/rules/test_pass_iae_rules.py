"""The PASS IAE rules of les emplois de l'inclusion (itou/approvals/) and of R5132-1-8, each
tried the day before, the day of and the day after its limit: the délai de carence, the
prolongation window, the limits of each prolongation motif, the limits of a suspension and
the closure by the structure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ChangeRecord, PassIae
from siae_app.services import ServiceError
from siae_app.services.employees import pass_iae
from siae_app.services.reviews import schedule
from tests import factories as f

START = date(2025, 1, 1)
END = date(2026, 12, 31)
DAY = timedelta(days=1)
TODAY = date(2026, 6, 1)


@pytest.fixture
def pass_obj(world) -> PassIae:
    """A PASS of alpha's (an ACI) salarié, born 15/06/1976, from 01/01/2025 to 31/12/2026."""
    site = world.a
    employee = f.EmployeeFactory(
        structure_id=site.structure.id, team_id=site.team.id, birth_date=date(1976, 6, 15)
    )
    found = f.PassIaeFactory(
        structure_id=site.structure.id, employee_id=employee.id, start_date=START, end_date=END
    )
    db.session.commit()
    return found


def _run(session, what, pass_obj, values, **kw):
    with tenancy.tenant_scope(session, pass_obj.structure_id):
        return what(session, None, pass_obj, values, **kw)


def _refused(session, what, pass_obj, values, **kw) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        _run(session, what, pass_obj, values, **kw)
    return refused.value


def _new_pass(session, employee, start, waived=False):
    values = {"number": "999990000099", "start_date": start, "waiting_period_waived": waived}
    with tenancy.tenant_scope(session, employee.structure_id):
        return pass_iae.create_pass(session, None, employee, values)


# 1. Délai de carence: 2 years after the end (les emplois: WAITING_PERIOD_YEARS = 2).


def test_a_new_pass_never_overlaps_the_previous_one(session, pass_obj):
    with pytest.raises(ServiceError) as refused:
        _new_pass(session, pass_obj.employee, END)
    assert refused.value.field == "start_date"
    assert refused.value.message == (
        f"Le PASS IAE n° {pass_obj.number} est valide jusqu'au 31/12/2026 : "
        "un nouveau PASS ne peut commencer qu'après."
    )


@pytest.mark.parametrize("start", [END + DAY, date(2028, 12, 31)], ids=["next-day", "last-day"])
def test_a_new_pass_within_two_years_of_the_end_is_refused(session, pass_obj, start):
    with pytest.raises(ServiceError) as refused:
        _new_pass(session, pass_obj.employee, start)
    assert refused.value.field == "start_date"
    assert refused.value.message == (
        f"Délai de carence : le PASS IAE n° {pass_obj.number} a pris fin le 31/12/2026, un "
        "nouveau PASS ne peut commencer avant le 01/01/2029, sauf nouveau diagnostic "
        "d'éligibilité par un prescripteur habilité (cochez la case)."
    )


def test_a_new_pass_after_the_waiting_period_or_with_a_new_diagnostic(session, pass_obj):
    assert _new_pass(session, pass_obj.employee, date(2029, 1, 1)).start_date == date(2029, 1, 1)


def test_a_prescriber_diagnostic_waives_the_waiting_period(session, pass_obj):
    waived = _new_pass(session, pass_obj.employee, date(2027, 3, 1), waived=True)
    assert waived.waiting_period_waived is True


def test_the_waiting_period_counts_from_the_end_after_suspensions(session, pass_obj):
    _run(
        session,
        pass_iae.add_suspension,
        pass_obj,
        {"motif": "contrat_rompu", "start_date": TODAY, "end_date": TODAY + 9 * DAY},
        today=TODAY,
    )
    # The end moved to 10/01/2027: the carence runs to 10/01/2029.
    with pytest.raises(ServiceError):
        _new_pass(session, pass_obj.employee, date(2029, 1, 10))
    assert _new_pass(session, pass_obj.employee, date(2029, 1, 11))


# 2. The prolongation window: 12 months before the end to 6 months after it.


def _extension(decided_on, months=6, motif="rqth", **more):
    return {"motif": motif, "months": months, "decided_on": decided_on} | more


@pytest.mark.parametrize(
    "decided", [date(2025, 12, 31), date(2027, 6, 30)], ids=["opens", "closes"]
)
def test_a_prolongation_inside_the_window_is_accepted(session, pass_obj, decided):
    assert _run(session, pass_iae.add_extension, pass_obj, _extension(decided)).months == 6


@pytest.mark.parametrize("decided", [date(2025, 12, 30), date(2027, 7, 1)], ids=["before", "after"])
def test_a_prolongation_outside_the_window_is_refused(session, pass_obj, decided):
    refused = _refused(session, pass_iae.add_extension, pass_obj, _extension(decided))
    assert (refused.field, refused.message) == (
        "decided_on",
        "Une prolongation se demande du 31/12/2025 au 30/06/2027 : de 12 mois avant la fin "
        "du PASS à 6 mois après.",
    )


def test_the_window_follows_the_end():
    assert pass_iae.extension_window(END) == (date(2025, 12, 31), date(2027, 6, 30))


@pytest.mark.parametrize(
    ("contract_end", "expected"),
    [(date(2025, 12, 30), []), (date(2025, 12, 31), [date(2025, 12, 31)])],
    ids=["ends-the-day-before", "reaches-the-opening"],
)
def test_the_prolongation_bilan_is_due_when_the_window_opens(contract_end, expected):
    from decimal import Decimal

    from siae_app.models import Contract, Employee

    employee = Employee(first_name="Inès", last_name="Roux", entry_date=START)
    contract = Contract(start_date=START, end_date=contract_end, weekly_hours=Decimal("26"))
    pass_row = PassIae(number="999990000001", start_date=START, end_date=END)
    pass_row.suspensions, pass_row.extensions = [], []
    found = schedule.expected(employee, [contract], [pass_row])
    assert [e.due_on for e in found if e.kind == "prolongation"] == expected


# 3. Each motif's limits (R5132-1-8; les emplois MAX_CUMULATIVE_DURATION).


def test_a_training_prolongation_stops_at_the_end_of_the_training(session, pass_obj):
    decided = date(2026, 6, 1)
    refused = _refused(
        session,
        pass_iae.add_extension,
        pass_obj,
        _extension(decided, motif="fin_formation"),
    )
    assert (refused.field, refused.message) == (
        "training_end",
        "Indiquez la date de fin de la formation.",
    )
    # 31/12/2026 + 6 months = 30/06/2027: a training ending the day before is too short.
    refused = _refused(
        session,
        pass_iae.add_extension,
        pass_obj,
        _extension(decided, motif="fin_formation", training_end=date(2027, 6, 29)),
    )
    assert (refused.field, refused.message) == (
        "months",
        "La prolongation pour achever une formation s'arrête à la fin de la formation "
        "(le 29/06/2027) : avec 6 mois, le PASS finirait le 30/06/2027.",
    )
    done = _run(
        session,
        pass_iae.add_extension,
        pass_obj,
        _extension(decided, motif="fin_formation", training_end=date(2027, 6, 30)),
    )
    assert done.training_end == date(2027, 6, 30)


@pytest.mark.parametrize(
    ("motif", "limit", "in_all"),
    [
        ("rqth", 36, "5 ans de parcours en tout"),
        ("difficultes_particulieres", 36, "5 ans de parcours en tout"),
        ("50_ans", 60, "7 ans de parcours en tout"),
    ],
)
def test_each_motif_adds_up_to_its_limit(session, pass_obj, motif, limit, in_all):
    decided = date(2026, 6, 15)  # the salarié's 50th birthday
    for _ in range(limit // 12 - 1):
        _run(session, pass_iae.add_extension, pass_obj, _extension(decided, 12, motif))
        decided = pass_iae.add_months(decided, 12)
    _run(session, pass_iae.add_extension, pass_obj, _extension(decided, 11, motif))
    decided = pass_iae.add_months(decided, 12)
    refused = _refused(session, pass_iae.add_extension, pass_obj, _extension(decided, 2, motif))
    label = pass_iae.PASS_EXTENSION_MOTIFS[motif]
    assert (refused.field, refused.message) == (
        "months",
        f"« {label} » : les prolongations vont jusqu'à {in_all} ({limit} mois de "
        "prolongation) ; il en reste 1 mois.",
    )
    assert _run(session, pass_iae.add_extension, pass_obj, _extension(decided, 1, motif))
    # the limit reached: none left, said so
    refused = _refused(session, pass_iae.add_extension, pass_obj, _extension(decided, 1, motif))
    assert refused.message.endswith("; il en reste 0 mois.")


def test_the_50_and_over_motif_needs_the_birth_date(session, pass_obj):
    pass_obj.employee.birth_date = None
    values = _extension(date(2026, 6, 15), motif="50_ans")
    refused = _refused(session, pass_iae.add_extension, pass_obj, values)
    assert (refused.field, refused.message) == (
        "motif",
        "Indiquez la date de naissance du salarié (fiche, identité) : la prolongation pour "
        "les 50 ans et plus se vérifie à la date de la demande.",
    )


@pytest.mark.parametrize(
    ("decided", "accepted"),
    [(date(2026, 6, 14), False), (date(2026, 6, 15), True), (date(2026, 6, 16), True)],
    ids=["day-before-50", "50th-birthday", "day-after"],
)
def test_the_50_and_over_motif_checks_the_age_on_the_request(session, pass_obj, decided, accepted):
    values = _extension(decided, motif="50_ans")
    if accepted:
        assert _run(session, pass_iae.add_extension, pass_obj, values)
        return
    refused = _refused(session, pass_iae.add_extension, pass_obj, values)
    assert (refused.field, refused.message) == (
        "motif",
        "Le salarié a moins de 50 ans le 14/06/2026 (né le 15/06/1976) : la prolongation "
        "pour les 50 ans et plus n'est pas possible.",
    )


@pytest.mark.parametrize(("kind", "accepted"), [("ACI", True), ("AI", True), ("EI", False)])
def test_particular_difficulties_only_in_ai_and_aci(world, session, pass_obj, kind, accepted):
    world.a.structure.kind = kind
    db.session.flush()
    values = _extension(date(2026, 6, 1), motif="difficultes_particulieres")
    if accepted:
        assert _run(session, pass_iae.add_extension, pass_obj, values)
        return
    refused = _refused(session, pass_iae.add_extension, pass_obj, values)
    assert (refused.field, refused.message) == (
        "motif",
        "La prolongation pour difficultés particulièrement importantes est réservée aux AI "
        "et aux ACI.",
    )


# 4. Suspensions: current motifs, 36 months at most, from 365 days ago at the earliest.


def _suspension(start, end, motif="contrat_suspendu"):
    return {"motif": motif, "start_date": start, "end_date": end}


def test_old_suspension_motifs_are_no_longer_accepted_but_keep_their_label(session, pass_obj):
    refused = _refused(
        session,
        pass_iae.add_suspension,
        pass_obj,
        _suspension(TODAY, TODAY, "maladie"),
        today=TODAY,
    )
    assert (refused.field, refused.message) == ("motif", "Choisissez le motif de la suspension.")
    assert pass_iae.PASS_SUSPENSION_CHOICES.keys() == {
        "contrat_suspendu",
        "contrat_rompu",
        "contrat_termine",
        "accord_cta",
        "contrat_passerelle",
    }
    from siae_app.models.employees import PASS_SUSPENSION_MOTIFS

    assert PASS_SUSPENSION_MOTIFS["maladie"] == "Arrêt maladie"


@pytest.mark.parametrize(
    ("start", "accepted"),
    [(TODAY - 366 * DAY, False), (TODAY - 365 * DAY, True), (TODAY - 364 * DAY, True)],
    ids=["366-days-ago", "365-days-ago", "364-days-ago"],
)
def test_a_suspension_starts_at_most_365_days_ago(session, pass_obj, start, accepted):
    values = _suspension(start, start + 9 * DAY)
    if accepted:
        assert _run(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
        return
    refused = _refused(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
    assert (refused.field, refused.message) == (
        "start_date",
        "Une suspension peut commencer au plus tôt 365 jours avant aujourd'hui (le 01/06/2025).",
    )


@pytest.mark.parametrize(
    ("end", "accepted"),
    [(date(2029, 5, 31), True), (date(2029, 6, 1), False)],
    ids=["36-months", "one-day-more"],
)
def test_a_suspension_lasts_at_most_36_months(session, pass_obj, end, accepted):
    values = _suspension(TODAY, end)
    if accepted:
        assert _run(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
        assert pass_iae.effective_end(pass_obj) == END + (end - TODAY + DAY)
        return
    refused = _refused(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
    assert (refused.field, refused.message) == (
        "end_date",
        "Une suspension dure au plus 36 mois : elle finit au plus tard le 31/05/2029.",
    )


@pytest.mark.parametrize(("kind", "accepted"), [("ACI", True), ("EI", True), ("AI", False)])
def test_the_contrat_passerelle_only_in_aci_and_ei(world, session, pass_obj, kind, accepted):
    world.a.structure.kind = kind
    db.session.flush()
    values = _suspension(TODAY, TODAY, "contrat_passerelle")
    if accepted:
        assert _run(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
        return
    refused = _refused(session, pass_iae.add_suspension, pass_obj, values, today=TODAY)
    assert (refused.field, refused.message) == (
        "motif",
        "Le passage en contrat passerelle ne concerne que les ACI et les EI.",
    )


# Closure by the structure.


def _closure(day, reason="Suspendu depuis plus de 12 mois, sans reprise."):
    return {"closed_on": day, "closure_reason": reason}


def test_the_structure_closes_the_pass_and_it_ends_that_day(session, pass_obj):
    changes = _run(session, pass_iae.close_pass, pass_obj, _closure(TODAY), today=TODAY)
    assert {c.field for c in changes} == {"closed_on", "closure_reason"}
    assert pass_iae.effective_end(pass_obj) == TODAY
    assert pass_iae.status(pass_obj, TODAY) == pass_iae.PassStatus.VALID
    assert pass_iae.status(pass_obj, TODAY + DAY) == pass_iae.PassStatus.EXPIRED
    again = _refused(session, pass_iae.close_pass, pass_obj, _closure(TODAY), today=TODAY)
    assert (again.field, again.message) == (
        "closed_on",
        "Ce PASS IAE est déjà clôturé depuis le 01/06/2026.",
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (_closure(TODAY + DAY), "closed_on", "La date de clôture ne peut pas être dans le futur."),
        (
            _closure(START - DAY),
            "closed_on",
            "La date de clôture doit tomber pendant la validité du PASS "
            "(du 01/01/2025 au 31/12/2026).",
        ),
        (_closure(None), "closed_on", "Indiquez la date de clôture."),
        (_closure(TODAY, "  "), "closure_reason", "Indiquez le motif de la clôture."),
        (_closure(TODAY, None), "closure_reason", "Indiquez le motif de la clôture."),
    ],
    ids=["tomorrow", "before-the-start", "no-date", "blank-reason", "no-reason"],
)
def test_a_closure_is_refused_with_its_rule(session, pass_obj, values, field, message):
    refused = _refused(session, pass_iae.close_pass, pass_obj, values, today=TODAY)
    assert (refused.field, refused.message) == (field, message)
    assert pass_obj.closed_on is None


def test_a_closure_on_the_first_day_is_accepted(session, pass_obj):
    _run(session, pass_iae.close_pass, pass_obj, _closure(START), today=TODAY)
    assert pass_iae.effective_end(pass_obj) == START


@pytest.mark.parametrize(("day", "accepted"), [(END, True), (END + DAY, False)])
def test_an_ended_pass_is_closed_on_its_last_day_at_the_latest(session, pass_obj, day, accepted):
    later = END + timedelta(days=10)  # the PASS has ended: neither day is in the future
    if accepted:
        _run(session, pass_iae.close_pass, pass_obj, _closure(day), today=later)
        assert pass_obj.closed_on == END
        return
    refused = _refused(session, pass_iae.close_pass, pass_obj, _closure(day), today=later)
    assert refused.field == "closed_on" and "pendant la validité du PASS" in refused.message


def test_a_closure_is_in_the_history_of_the_pass_in_its_authors_name(world, session, pass_obj):
    cip = world.a.member("cip")
    with tenancy.tenant_scope(session, pass_obj.structure_id):
        pass_iae.close_pass(session, cip, pass_obj, _closure(TODAY), today=TODAY)
    rows = session.scalars(select(ChangeRecord).where(ChangeRecord.entity_id == pass_obj.id)).all()
    assert {(r.entity, r.field, r.membership_id) for r in rows} == {
        ("pass", "closed_on", cip.id),
        ("pass", "closure_reason", cip.id),
    }
