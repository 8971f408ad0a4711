"""The renewal circuit of a CDDI (ETI → CIP → direction): when it opens, the order of its
steps, the avenant checked against the CDDI rules with dates on both sides of each limit, the
planned sortie and its bilan; then the pages, the homes and the alerts as each role meets them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ChangeRecord, Contract, RenewalStatus, Review
from siae_app.services import ServiceError, renewals
from siae_app.services.alerts import AMBER, RED, compute, load_inputs
from tests import factories as f
from tests.employees.helpers import file_url, system
from tests.querycount import count_queries
from tests.site import text_of

START, END = date(2025, 1, 6), date(2025, 12, 31)
OPENS = date(2025, 10, 31)  # two months before the end
OPINION = {
    "work": "Tient son poste à la taille.",
    "attendance": "Toujours à l'heure.",
    "progress": "Autonome sur la débroussailleuse.",
    "verdict": "favorable",
}


@pytest.fixture
def ctx(world):
    """Site a's salarié with one contract of 2025, in its structure's scope (as a request)."""
    site = world.a
    employee = site.employee
    contract = employee.contracts[0]
    contract.start_date, contract.end_date = START, END
    employee.entry_date = START
    db.session.delete(site.unvalidated_review)  # the world's open bilan de sortie
    db.session.flush()
    with tenancy.tenant_scope(db.session, site.structure.id):
        yield site, employee


def _circuit(employee, today):
    db.session.expire(employee, ["contracts"])
    return renewals.of_employee(db.session, employee, today)


def _opinion(site, employee, today=OPENS):
    return renewals.give_opinion(
        db.session, site.member("eti"), _circuit(employee, today), OPINION, today
    )


def _propose(site, employee, today=OPENS, **values):
    values = {"choice": "renew", "months": 6, "hours": Decimal(26), **values}
    return renewals.propose(
        db.session, site.member("cip"), _circuit(employee, today), values, today
    )


def _decide(site, employee, today=OPENS, **values):
    values = {"choice": "renew", "months": 6, "hours": Decimal(26), **values}
    return renewals.decide(
        db.session, site.member("director"), _circuit(employee, today), values, today
    )


def _refused(call, field=None):
    with pytest.raises(ServiceError) as refusal:
        call()
    assert refusal.value.field == field
    return refusal.value


# ------------------------------------------------------------------ when it opens


@pytest.mark.parametrize(
    ("today", "open_"),
    [
        (OPENS - timedelta(days=1), False),
        (OPENS, True),
        (END, True),
        (END + timedelta(days=1), False),  # ended with no opinion: a sortie to record
    ],
)
def test_the_circuit_opens_two_months_before_the_end_and_closes_with_the_contract(
    ctx, today, open_
):
    _site, employee = ctx
    circuit = _circuit(employee, today)
    assert (circuit is not None) == open_
    if open_:
        assert circuit.stage == RenewalStatus.OPINION and circuit.opens_on == OPENS


def test_the_notice_is_a_setting_of_the_structure(ctx):
    site, employee = ctx
    site.structure.renewal_notice_months = 3
    assert _circuit(employee, date(2025, 9, 30)) is not None
    assert _circuit(employee, date(2025, 9, 29)) is None


def test_a_started_circuit_goes_on_after_the_contract_ended(ctx):
    site, employee = ctx
    _opinion(site, employee)
    late = _circuit(employee, END + timedelta(days=10))
    assert late is not None and late.stage == RenewalStatus.PROPOSAL


def test_no_circuit_after_an_early_end_or_a_recorded_sortie(ctx):
    _site, employee = ctx
    employee.contracts[0].ended_early_on = date(2025, 11, 15)
    assert _circuit(employee, date(2025, 11, 1)) is None
    employee.contracts[0].ended_early_on = None
    employee.exit_date = END
    assert _circuit(employee, date(2025, 11, 1)) is None


def test_the_latest_contract_is_the_one_decided(ctx):
    site, employee = ctx
    f.ContractFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    assert _circuit(employee, OPENS) is None  # the avenant ends in June: not yet
    circuit = _circuit(employee, date(2026, 4, 30))
    assert circuit.contract.start_date == date(2026, 1, 1)


# ------------------------------------------------------------------ one step after the other


def test_each_step_waits_for_the_previous_one_and_is_done_once(ctx):
    site, employee = ctx
    refusal = _refused(lambda: _propose(site, employee))
    assert refusal.message == (
        "Il faut d'abord l'avis de l'encadrant : chaque étape attend la précédente."
    )
    assert refusal.status == 409
    _refused(lambda: _decide(site, employee))
    row = _opinion(site, employee)
    assert (row.status, row.opinion_on, row.opinion_by_id) == (
        RenewalStatus.PROPOSAL,
        OPENS,
        site.member("eti").id,
    )
    again = _refused(lambda: _opinion(site, employee))
    assert again.message == "Cette étape est déjà faite : l'avis de l'encadrant est enregistrée."
    refusal = _refused(lambda: _decide(site, employee))
    assert "Il faut d'abord la proposition de la CIP" in refusal.message
    _propose(site, employee, today=OPENS + timedelta(days=3))
    assert row.status == RenewalStatus.DECISION and row.proposal_on == OPENS + timedelta(days=3)
    _refused(lambda: _propose(site, employee))
    _decide(site, employee, today=OPENS + timedelta(days=5))
    assert row.status == RenewalStatus.RENEWED
    closed = _refused(lambda: _decide(site, employee))
    assert "déjà décidé (renouvelé)" in closed.message


def test_a_step_before_the_circuit_opens_is_refused(ctx):
    site, employee = ctx
    refusal = _refused(
        lambda: renewals.give_opinion(
            db.session,
            site.member("eti"),
            _circuit(employee, OPENS - timedelta(days=1)),
            OPINION,
            OPENS,
        )
    )
    assert "n'est pas ouvert" in refusal.message


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"verdict": "peut-être"}, "verdict", "Choisissez votre avis sur le renouvellement."),
        ({"work": "  "}, "work", "Indiquez ce que vous observez du travail."),
        ({"attendance": ""}, "attendance", "Indiquez ce que vous observez de l'assiduité."),
        ({"progress": None}, "progress", "Indiquez les progrès observés."),
        ({"work": "x" * 2001}, "work", "2000 caractères au plus."),
    ],
)
def test_an_opinion_says_what_is_missing(ctx, changes, field, message):
    site, employee = ctx
    values = {**OPINION, **changes}
    refusal = _refused(
        lambda: renewals.give_opinion(
            db.session, site.member("eti"), _circuit(employee, OPENS), values, OPENS
        ),
        field,
    )
    assert refusal.message == message


# ------------------------------------------------------------------ the CDDI rules


@pytest.mark.parametrize(("hours", "ok"), [("19.5", False), ("20", True), ("20.5", True)])
def test_an_aci_renewal_is_20_hours_a_week_at_least(ctx, hours, ok):
    site, employee = ctx
    _opinion(site, employee)
    if ok:
        assert _propose(site, employee, hours=Decimal(hours)).proposed_hours == Decimal(hours)
    else:
        refusal = _refused(lambda: _propose(site, employee, hours=Decimal(hours)), "hours")
        assert refusal.message == "En ACI, un CDDI compte au moins 20 heures par semaine."


@pytest.mark.parametrize(
    ("first_start", "ok"),
    [
        (date(2024, 1, 2), True),  # 546 + 184 = 730 days
        (date(2024, 1, 1), True),  # 731 days: 24 months, the limit
        (date(2023, 12, 31), False),  # 732 days: beyond, a dérogation motif is needed
    ],
)
def test_24_months_cumulated_unless_a_derogation_motif(ctx, first_start, ok):
    site, employee = ctx
    contract = employee.contracts[0]
    contract.start_date, contract.end_date = first_start, date(2025, 6, 30)
    today = date(2025, 5, 15)
    _opinion(site, employee, today)
    if ok:
        row = _propose(site, employee, today)
        assert row.status == RenewalStatus.DECISION
        return
    refusal = _refused(lambda: _propose(site, employee, today), "derogation_motif")
    assert "au-delà de 24 mois, indiquez le motif de dérogation" in refusal.message
    row = _propose(site, employee, today, derogation_motif="fin_formation")
    assert row.derogation_motif == "fin_formation"


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (24, True), (25, False)])
def test_a_renewal_lasts_1_to_24_months(ctx, months, ok):
    site, employee = ctx
    _opinion(site, employee)
    call = lambda: _propose(site, employee, months=months, derogation_motif="fin_formation")  # noqa: E731
    if ok:
        assert call().proposed_months == months
    else:
        assert _refused(call, "months").message == "Entre 1 et 24 mois."


def test_a_proposal_to_prepare_the_exit_needs_no_terms(ctx):
    site, employee = ctx
    _opinion(site, employee)
    row = _propose(site, employee, choice="exit", months=None, hours=None, pass_extension=True)
    assert (row.proposal, row.proposed_months, row.proposed_hours, row.pass_extension) == (
        "exit",
        None,
        None,
        False,
    )


# ------------------------------------------------------------------ what the decision does


def test_a_decision_to_renew_creates_the_avenant_the_day_after_the_end(ctx):
    site, employee = ctx
    _opinion(site, employee)
    _propose(site, employee, months=6, hours=Decimal("24.5"), pass_extension=True)
    row = _decide(site, employee, months=4, hours=Decimal("24.5"), comment="Quatre mois.")
    avenant = db.session.get(Contract, row.avenant_id)
    assert (avenant.start_date, avenant.end_date, avenant.weekly_hours) == (
        date(2026, 1, 1),
        date(2026, 4, 30),
        Decimal("24.5"),
    )
    assert avenant.parent_id == employee.contracts[0].id
    assert row.decided_by_id == site.member("director").id and row.decision_comment
    lines = {
        (r.field, r.new_value)
        for r in db.session.scalars(
            select(ChangeRecord).where(ChangeRecord.entity == "renouvellement")
        )
    }
    assert ("avis de l'encadrant", "Favorable au renouvellement") in lines
    assert (
        "proposition de la CIP",
        "Renouveler le contrat : 6 mois, 24,5 h par semaine, prolongation du PASS IAE à demander",
    ) in lines
    assert (
        "décision de la direction",
        "Renouvelé du 01/01/2026 au 30/04/2026, 24,5 h par semaine",
    ) in lines
    # until the avenant's own circuit opens, the decided one shows
    assert _circuit(employee, OPENS).row is row
    fresh = _circuit(employee, date(2026, 2, 28))
    assert fresh.contract.id == avenant.id and fresh.stage == RenewalStatus.OPINION


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (START - timedelta(days=1), False),
        (START, True),
        (END, True),
        (END + timedelta(days=1), False),
    ],
)
def test_a_decision_not_to_renew_plans_the_exit_during_the_contract(ctx, day, ok):
    site, employee = ctx
    _opinion(site, employee)
    _propose(site, employee, choice="exit")
    call = lambda: _decide(site, employee, choice="exit", exit_on=day)  # noqa: E731
    if not ok:
        refusal = _refused(call, "exit_on")
        assert refusal.message == (
            "La sortie prévue tombe pendant le contrat : entre le 06/01/2025 et le 31/12/2025."
        )
        return
    row = call()
    review = db.session.get(Review, row.exit_review_id)
    assert (row.status, row.exit_planned_on) == (RenewalStatus.NOT_RENEWED, day)
    assert (review.kind, review.due_on, review.employee_id) == ("exit", day, employee.id)


def test_the_exit_defaults_to_the_contracts_end_and_reuses_an_open_bilan_de_sortie(ctx):
    site, employee = ctx
    open_bilan = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member("cip").id,
        kind="exit",
    )
    _opinion(site, employee)
    _propose(site, employee, choice="exit")
    row = _decide(site, employee, choice="exit")
    assert row.exit_planned_on == END and row.exit_review_id == open_bilan.id


def test_the_direction_may_renew_what_the_cip_proposed_to_end(ctx):
    site, employee = ctx
    _opinion(site, employee)
    _propose(site, employee, choice="exit")
    refusal = _refused(lambda: _decide(site, employee, months=None), "months")
    assert refusal.message == "Indiquez la durée du renouvellement en mois."
    assert _decide(site, employee).status == RenewalStatus.RENEWED


# ------------------------------------------------------------------ alerts


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (END - timedelta(days=31), AMBER),
        (END - timedelta(days=30), RED),
    ],
)
def test_the_cip_is_alerted_once_the_eti_gave_an_opinion(ctx, today, colour):
    site, employee = ctx
    inputs = load_inputs(db.session, site.member("cip"), today, employee_ids=[employee.id])
    assert not [a for a in compute(inputs[0], today) if a.kind == "renouvellement"]
    _opinion(site, employee, OPENS)
    inputs = load_inputs(db.session, site.member("cip"), today, employee_ids=[employee.id])
    alert = next(a for a in compute(inputs[0], today) if a.kind == "renouvellement")
    assert alert.colour == colour
    assert alert.message == (
        "Renouvellement : proposition à faire, avis de l'encadrant reçu "
        "(contrat jusqu'au 31/12/2025)"
    )
    _propose(site, employee, today)
    inputs = load_inputs(db.session, site.member("cip"), today, employee_ids=[employee.id])
    assert not [a for a in compute(inputs[0], today) if a.kind == "renouvellement"]


def test_open_circuits_cost_the_same_queries_for_one_or_many(world):
    site = world.a
    today = date.today()

    def ending_soon():
        e = f.make_employee(site.structure.id, site.team, site.member("cip"))
        e.contracts[0].end_date = today + timedelta(days=20)
        db.session.flush()
        return e

    first = ending_soon()
    renewals.give_opinion(db.session, site.member("eti"), _circuit(first, today), OPINION, today)
    stmt = select(type(first)).where(type(first).structure_id == site.structure.id)
    db.session.flush()
    with count_queries() as few:
        found = renewals.open_circuits(db.session, stmt, site.structure, today)
    assert [c.employee.id for c in found] == [first.id]
    for _ in range(4):
        renewals.give_opinion(
            db.session, site.member("eti"), _circuit(ending_soon(), today), OPINION, today
        )
    db.session.flush()
    db.session.expire_all()
    site.structure.renewal_notice_months  # noqa: B018 - loaded again before counting
    with count_queries() as many:
        found = renewals.open_circuits(db.session, stmt, site.structure, today)
    assert len(found) == 5
    assert many.count == few.count


# ------------------------------------------------------------------ the pages


@pytest.fixture
def soon(world):
    """Site a's salarié of the ETI's team, whose contract ends in 20 days."""
    site = world.a
    contract = site.employee.contracts[0]
    contract.end_date = date.today() + timedelta(days=20)
    db.session.commit()
    return site, site.employee


def test_the_circuit_on_the_pages_eti_then_cip_then_direction(soon, client_for):
    site, employee = soon
    eti = client_for(site.member("eti"))
    home = text_of(eti.get(f"/s/{site.slug}/"))
    assert "Renouvellements : votre avis est attendu" in home
    assert employee.display_name in home
    page = eti.get(file_url(site, employee, "/renouvellement/avis"))
    assert page.status_code == 200
    assert "Depuis le début du contrat" in text_of(page)
    refused = eti.post(
        file_url(site, employee, "/renouvellement/avis"),
        data={
            "work": "Soigneux.",
            "attendance": "",
            "progress": "Autonome.",
            "verdict": "favorable",
        },
    )
    assert refused.status_code == 422
    assert "Soigneux." in refused.get_data(as_text=True)  # what was typed stays
    done = eti.post(
        file_url(site, employee, "/renouvellement/avis"),
        data={**OPINION},
    )
    assert done.status_code == 303
    system()
    cip = client_for(site.member("cip"))
    assert (
        cip.post(file_url(site, employee, "/renouvellement/avis"), data=OPINION).status_code == 403
    )
    text = text_of(cip.get(file_url(site, employee, "/renouvellement")))
    assert "Favorable au renouvellement" in text
    assert site.member("eti").user.full_name in text
    assert "Proposition de la CIP attendue" in text
    assert "Faire la proposition" in text
    refused = cip.post(
        file_url(site, employee, "/renouvellement/proposition"),
        data={"choice": "renew", "months": "6", "hours": "19"},
    )
    assert refused.status_code == 422
    assert "En ACI, un CDDI compte au moins 20 heures par semaine." in text_of(refused)
    assert (
        cip.post(
            file_url(site, employee, "/renouvellement/proposition"),
            data={"choice": "renew", "months": "6", "hours": "26", "comment": "Formation en mars."},
        ).status_code
        == 303
    )
    system()
    director = client_for(site.member("director"))
    home = text_of(director.get(f"/s/{site.slug}/"))
    assert "Renouvellements à décider" in home and employee.display_name in home
    form = director.get(file_url(site, employee, "/renouvellement/decision"))
    assert 'value="6"' in form.get_data(as_text=True)  # the proposal's terms, prefilled
    assert (
        director.post(
            file_url(site, employee, "/renouvellement/decision"),
            data={"choice": "renew", "months": "6", "hours": "26"},
        ).status_code
        == 303
    )
    system()
    text = text_of(director.get(file_url(site, employee, "/renouvellement")))
    assert "Renouvelé" in text and "Avenant du" in text
    file_page = text_of(director.get(file_url(site, employee)))
    assert "Renouvellement / avenant" in file_page  # the avenant is in the contracts
    history = text_of(director.get(file_url(site, employee, "/historique")))
    for line in (
        "Renouvellement du contrat",
        "Avis de l'encadrant",
        "Favorable au renouvellement",
        "Proposition de la CIP",
        "Renouveler le contrat : 6 mois, 26 h par semaine",
        "Décision de la direction",
    ):
        assert line in history, line


def test_a_step_out_of_order_says_why_with_409(soon, client_for):
    site, employee = soon
    director = client_for(site.member("director"))
    page = director.get(file_url(site, employee, "/renouvellement/decision"))
    assert page.status_code == 200
    assert "Cette étape n'est pas celle attendue : avis de l'encadrant attendu." in text_of(page)
    answer = director.post(
        file_url(site, employee, "/renouvellement/decision"),
        data={"choice": "renew", "months": "6", "hours": "26"},
    )
    assert answer.status_code == 409
    assert "Il faut d'abord l'avis de l'encadrant" in text_of(answer)


def test_only_the_role_of_each_step_may_do_it(soon, client_for):
    site, employee = soon
    paths = {
        "avis": {"eti", "coordinator"},
        "proposition": {"cip", "coordinator"},
        "decision": {"director"},
    }
    for step, allowed in paths.items():
        for role in ("eti", "cip", "coordinator", "director", "admin"):
            answer = client_for(site.member(role)).get(
                file_url(site, employee, f"/renouvellement/{step}")
            )
            assert (answer.status_code != 403) == (role in allowed), (step, role)


def test_a_sensitive_derogation_motif_is_hidden_from_the_direction(soon, client_for):
    site, employee = soon
    today = date.today()
    renewals.give_opinion(db.session, site.member("eti"), _circuit(employee, today), OPINION, today)
    row = renewals.propose(
        db.session,
        site.member("cip"),
        _circuit(employee, today),
        {"choice": "renew", "months": 6, "hours": Decimal(26), "derogation_motif": "rqth"},
        today,
    )
    db.session.commit()
    assert row.derogation_motif == "rqth"
    director = client_for(site.member("director")).get(file_url(site, employee, "/renouvellement"))
    assert "Travailleur handicapé" not in director.get_data(as_text=True)
    assert "information sensible, visible par la CIP et la coordination" in text_of(director)
    system()
    cip = client_for(site.member("cip")).get(file_url(site, employee, "/renouvellement"))
    html = cip.get_data(as_text=True)
    assert "Travailleur handicapé (RQTH)" in html
    assert html.index("data-sensitive") < html.index("Travailleur handicapé (RQTH)")


def test_the_eti_of_another_team_sees_neither_the_circuit_nor_the_home_line(world, client_for):
    site = world.a
    other = site.other_employee
    other.contracts[0].end_date = date.today() + timedelta(days=20)
    db.session.commit()
    eti = client_for(site.member("eti"))
    assert eti.get(file_url(site, other, "/renouvellement")).status_code == 404
    assert other.display_name not in text_of(eti.get(f"/s/{site.slug}/"))
