"""Only the CIP writes the criteria and motifs that reveal a handicap (README, « Qui voit
quoi », « Critères et motifs sensibles (TH, AAH, RQTH) » : CIP lecture/écriture, coordination
lecture). Coordination, which writes the rest of the file, sees them read-only: its saves keep
them as they were, and the services refuse what its pages do not offer."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import (
    ChangeRecord,
    Contract,
    EligibilityCriterion,
    EmployeeCriterion,
    PassExtension,
)
from siae_app.services import ServiceError, renewals
from siae_app.services.employees import contracts, identity, pass_iae
from tests import factories as f
from tests.employees.helpers import file_url, system
from tests.site import text_of

REFUSAL = "Seule la CIP peut indiquer un motif qui révèle un handicap."
RQTH = "Travailleur handicapé (RQTH)"


def _error_under(r, field: str) -> str:
    """The refusal shown under ``field`` of a page answered 422."""
    page = text_of(r)
    assert r.status_code == 422, page[:400]
    shown = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert shown, f"no error under {field}"
    return shown.group(1)


def _motif_options(html: str, field: str) -> list[str]:
    """The values a select offers (its options' ``value``)."""
    select_html = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, f"no select {field}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(1))


# ------------------------------------------------------------------ eligibility criteria


@pytest.fixture
def criteria(world):
    """Site a's salarié holds RSA (ordinary) and TH (sensitive); AAH is sensitive, not held."""
    site = world.a
    with tenancy.tenant_scope(db.session, site.structure.id):
        crits = {c.key: c for c in identity.ensure_default_criteria(db.session)}
        for key in ("rsa", "th"):
            db.session.add(
                EmployeeCriterion(
                    structure_id=site.structure.id,
                    employee_id=site.employee.id,
                    criterion_id=crits[key].id,
                )
            )
        db.session.commit()
    return crits


def _held(employee) -> set[str]:
    system()
    return set(
        db.session.scalars(
            select(EligibilityCriterion.key)
            .join(EmployeeCriterion, EmployeeCriterion.criterion_id == EligibilityCriterion.id)
            .where(EmployeeCriterion.employee_id == employee.id)
        )
    )


def test_coordination_sees_the_sensitive_criteria_read_only(world, criteria, client_for):
    coordination = client_for(world.a.member("coordinator"))
    page = coordination.get(file_url(world.a, path="/eligibilite"))
    html = text_of(page)
    assert page.status_code == 200
    assert "Critères liés au handicap (lecture seule)" in html
    assert "Seule la CIP peut les cocher ou les décocher" in html
    assert "Travailleur handicapé (TH) : oui" in html
    assert "Allocataire AAH : non" in html
    # Neither is a checkbox it may send; the ordinary ones are.
    assert f'value="{criteria["th"].id}"' not in html
    assert f'value="{criteria["aah"].id}"' not in html
    assert f'value="{criteria["rsa"].id}"' in html

    cip = text_of(client_for(world.a.member("cip")).get(file_url(world.a, path="/eligibilite")))
    assert "lecture seule" not in cip
    assert f'value="{criteria["th"].id}"' in cip and f'value="{criteria["aah"].id}"' in cip


def test_a_coordination_save_keeps_the_sensitive_criteria_as_they_were(world, criteria, client_for):
    # Sent: AAH added, TH taken away, RSA taken away, DELD added.
    sent = [str(criteria["aah"].id), str(criteria["deld"].id)]
    r = client_for(world.a.member("coordinator")).post(
        file_url(world.a, path="/eligibilite"), data={"criterion_ids": sent}
    )
    assert r.status_code == 303
    assert _held(world.a.employee) == {"th", "deld"}
    changed = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == world.a.employee.id)
    ).all()
    assert {(c.old_value, c.new_value) for c in changed} == {
        ("Bénéficiaire du RSA", None),
        (None, "Demandeur d'emploi de longue durée (DELD)"),
    }
    assert not any(c.sensitive for c in changed)


def test_the_cip_adds_and_removes_a_sensitive_criterion(world, criteria, client_for):
    r = client_for(world.a.member("cip")).post(
        file_url(world.a, path="/eligibilite"), data={"criterion_ids": [str(criteria["aah"].id)]}
    )
    assert r.status_code == 303
    assert _held(world.a.employee) == {"aah"}


def test_the_criteria_service_keeps_the_sensitive_ones_for_coordination(world, criteria):
    site, employee = world.a, world.a.employee
    with tenancy.tenant_scope(db.session, site.structure.id):
        identity.set_criteria(
            db.session, site.member("coordinator"), employee, [criteria["aah"].id]
        )
        db.session.commit()
    assert _held(employee) == {"th"}
    with tenancy.tenant_scope(db.session, site.structure.id):
        identity.set_criteria(db.session, site.member("cip"), employee, [criteria["aah"].id])
        db.session.commit()
    assert _held(employee) == {"aah"}


# ------------------------------------------------------------------ contracts


@pytest.fixture
def newcomer(world):
    """A salarié of site a with no contract yet."""
    employee = f.EmployeeFactory(
        structure_id=world.a.structure.id, team_id=world.a.team.id, entry_date=date(2026, 1, 5)
    )
    db.session.commit()
    return employee


def _contract_data(**more) -> dict:
    return {"start_date": "2026-01-05", "end_date": "2026-07-04", "weekly_hours": "26", **more}


def test_coordination_cannot_set_rqth_on_a_new_contract(world, newcomer, client_for):
    site = world.a
    coordination = client_for(site.member("coordinator"))
    form = coordination.get(file_url(site, newcomer, "/contrats/nouveau")).get_data(as_text=True)
    assert "rqth" not in _motif_options(form, "derogation_motif")
    assert "50_ans" in _motif_options(form, "derogation_motif")
    r = coordination.post(
        file_url(site, newcomer, "/contrats/nouveau"), data=_contract_data(derogation_motif="rqth")
    )
    assert _error_under(r, "derogation_motif") == REFUSAL
    system()
    assert (
        db.session.scalars(select(Contract).where(Contract.employee_id == newcomer.id)).all() == []
    )

    cip = client_for(site.member("cip"))
    form = cip.get(file_url(site, newcomer, "/contrats/nouveau")).get_data(as_text=True)
    assert "rqth" in _motif_options(form, "derogation_motif")
    r = cip.post(
        file_url(site, newcomer, "/contrats/nouveau"), data=_contract_data(derogation_motif="rqth")
    )
    assert r.status_code == 303
    system()
    (contract,) = db.session.scalars(select(Contract).where(Contract.employee_id == newcomer.id))
    assert contract.derogation_motif == "rqth"


def test_the_contract_service_refuses_rqth_from_coordination(world, newcomer):
    site = world.a
    values = {
        "start_date": date(2026, 1, 5),
        "end_date": date(2026, 7, 4),
        "weekly_hours": Decimal(26),
        "derogation_motif": "rqth",
    }
    with tenancy.tenant_scope(db.session, site.structure.id):
        with pytest.raises(ServiceError) as refused:
            contracts.create_contract(db.session, site.member("coordinator"), newcomer, values)
        assert (refused.value.field, refused.value.message) == ("derogation_motif", REFUSAL)
        made = contracts.create_contract(db.session, site.member("cip"), newcomer, values)
        assert made.derogation_motif == "rqth"
        # Changing it, or taking it away, is the CIP's too.
        for other in ("50_ans", None):
            with pytest.raises(ServiceError) as refused:
                contracts.update_contract(
                    db.session,
                    site.member("coordinator"),
                    made,
                    {**values, "derogation_motif": other},
                )
            assert refused.value.message == REFUSAL
        assert made.derogation_motif == "rqth"


@pytest.fixture
def rqth_contract(world):
    contract = world.a.employee.contracts[0]
    contract.derogation_motif = "rqth"
    db.session.commit()
    return contract


def _edit_data(contract, **more) -> dict:
    return {
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "weekly_hours": "30",
        "ended_early_on": "",
        **more,
    }


def test_an_rqth_motif_survives_a_coordination_edit_of_the_hours(world, rqth_contract, client_for):
    site, contract = world.a, rqth_contract
    coordination = client_for(site.member("coordinator"))
    edit = file_url(site, path=f"/contrats/{contract.id}/modifier")
    form = coordination.get(edit)
    html = text_of(form)
    assert f"{RQTH} — motif confidentiel (CIP)" in html
    assert "Seule la CIP peut modifier ou retirer ce motif." in html
    # The motif is the select's only choice: what the page sends keeps it.
    assert _motif_options(form.get_data(as_text=True), "derogation_motif") == ["rqth"]
    r = coordination.post(edit, data=_edit_data(contract, derogation_motif="rqth"))
    assert r.status_code == 303
    system()
    db.session.refresh(contract)
    assert contract.weekly_hours == Decimal(30) and contract.derogation_motif == "rqth"
    # Taken away by a hand-made request: refused, kept.
    r = coordination.post(edit, data=_edit_data(contract, weekly_hours="28", derogation_motif=""))
    assert _error_under(r, "derogation_motif") == REFUSAL
    system()
    db.session.refresh(contract)
    assert contract.weekly_hours == Decimal(30) and contract.derogation_motif == "rqth"


def test_the_cip_takes_an_rqth_motif_away(world, rqth_contract, client_for):
    site, contract = world.a, rqth_contract
    edit = file_url(site, path=f"/contrats/{contract.id}/modifier")
    form = client_for(site.member("cip")).get(edit).get_data(as_text=True)
    assert "" in _motif_options(form, "derogation_motif")
    r = client_for(site.member("cip")).post(edit, data=_edit_data(contract, derogation_motif=""))
    assert r.status_code == 303
    system()
    db.session.refresh(contract)
    assert contract.derogation_motif is None


def test_an_avenant_by_coordination_carries_the_renewed_contracts_rqth(
    world, rqth_contract, client_for
):
    site, parent = world.a, rqth_contract
    page = file_url(site, path=f"/contrats/{parent.id}/avenant")
    coordination = client_for(site.member("coordinator"))
    form = coordination.get(page)
    assert _motif_options(form.get_data(as_text=True), "derogation_motif") == ["rqth"]
    start = parent.effective_end + timedelta(days=1)
    data = {
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=180)).isoformat(),
        "weekly_hours": "26",
        "derogation_motif": "rqth",
    }
    assert coordination.post(page, data=data).status_code == 303
    system()
    avenant = db.session.scalar(select(Contract).where(Contract.parent_id == parent.id))
    assert avenant.derogation_motif == "rqth"


# ------------------------------------------------------------------ PASS IAE prolongation


def _extension_data(p) -> dict:
    day = pass_iae.effective_end(p) - timedelta(days=30)
    return {"motif": "rqth", "months": "6", "decided_on": day.isoformat()}


def test_coordination_cannot_extend_a_pass_for_rqth(world, client_for):
    site = world.a
    p = site.employee.passes[0]
    page = file_url(site, path=f"/pass/{p.id}/prolongations/nouvelle")
    coordination = client_for(site.member("coordinator"))
    form = coordination.get(page).get_data(as_text=True)
    assert "rqth" not in _motif_options(form, "motif")
    assert "50_ans" in _motif_options(form, "motif")
    assert _error_under(coordination.post(page, data=_extension_data(p)), "motif") == REFUSAL
    system()
    assert db.session.scalars(select(PassExtension)).all() == []

    cip = client_for(site.member("cip"))
    assert "rqth" in _motif_options(cip.get(page).get_data(as_text=True), "motif")
    assert cip.post(page, data=_extension_data(p)).status_code == 303
    system()
    assert [e.motif for e in db.session.scalars(select(PassExtension))] == ["rqth"]


def test_the_pass_service_refuses_rqth_from_coordination(world):
    site = world.a
    p = site.employee.passes[0]
    values = {
        "motif": "rqth",
        "months": 6,
        "decided_on": pass_iae.effective_end(p) - timedelta(days=30),
    }
    with (
        tenancy.tenant_scope(db.session, site.structure.id),
        pytest.raises(ServiceError) as refused,
    ):
        pass_iae.add_extension(db.session, site.member("coordinator"), p, values)
    assert (refused.value.field, refused.value.message) == ("motif", REFUSAL)


# ------------------------------------------------------------------ renewal proposal


@pytest.fixture
def soon(world):
    """Site a's salarié whose contract ends in 20 days; the ETI has given its opinion."""
    site = world.a
    contract = site.employee.contracts[0]
    contract.end_date = date.today() + timedelta(days=20)
    db.session.commit()
    today = date.today()
    with tenancy.tenant_scope(db.session, site.structure.id):
        opinion = {
            "work": "Soigneux.",
            "attendance": "À l'heure.",
            "progress": "Autonome.",
            "verdict": "favorable",
        }
        circuit = renewals.of_employee(db.session, site.employee, today)
        renewals.give_opinion(db.session, site.member("eti"), circuit, opinion, today)
        db.session.commit()
    return site, site.employee


def _proposal(**more) -> dict:
    return {"choice": "renew", "months": "6", "hours": "26", **more}


def test_coordination_cannot_propose_a_renewal_for_rqth(soon, client_for):
    site, employee = soon
    page = file_url(site, employee, "/renouvellement/proposition")
    coordination = client_for(site.member("coordinator"))
    form = coordination.get(page).get_data(as_text=True)
    assert "rqth" not in _motif_options(form, "derogation_motif")
    r = coordination.post(page, data=_proposal(derogation_motif="rqth"))
    assert _error_under(r, "derogation_motif") == REFUSAL
    today = date.today()
    with tenancy.tenant_scope(db.session, site.structure.id):
        circuit = renewals.of_employee(db.session, employee, today)
        assert circuit.row.proposal is None
        with pytest.raises(ServiceError) as refused:
            renewals.propose(
                db.session,
                site.member("coordinator"),
                circuit,
                {"choice": "renew", "months": 6, "hours": Decimal(26), "derogation_motif": "rqth"},
                today,
            )
        assert (refused.value.field, refused.value.message) == ("derogation_motif", REFUSAL)


def test_the_cip_proposes_rqth_and_the_direction_decides_the_avenant_with_it(soon, client_for):
    site, employee = soon
    cip = client_for(site.member("cip"))
    page = file_url(site, employee, "/renouvellement/proposition")
    assert "rqth" in _motif_options(cip.get(page).get_data(as_text=True), "derogation_motif")
    assert cip.post(page, data=_proposal(derogation_motif="rqth")).status_code == 303
    director = client_for(site.member("director"))
    decision = file_url(site, employee, "/renouvellement/decision")
    assert director.post(decision, data=_proposal()).status_code == 303
    system()
    parent = employee.contracts[0]
    avenant = db.session.scalar(select(Contract).where(Contract.parent_id == parent.id))
    assert avenant.derogation_motif == "rqth"
