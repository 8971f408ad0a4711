"""Conventionnement and the monthly follow-up as coordination and direction use them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from siae_app.models import ChangeRecord, FundingAnnex, PaidHours
from tests.site import text_of

MONTH = date.today().strftime("%Y-%m")


def _url(world, path):
    return f"/s/{world.a.slug}/pilotage{path}"


def test_coordination_adds_an_annex_and_an_overlap_is_refused_keeping_what_was_typed(
    world, client_for, session
):
    client = client_for(world.a.member("coordinator"))
    form = {
        "annexe-kind": "EI",
        "annexe-number": "045-EI-7",
        "annexe-start_date": "01/07/2026",
        "annexe-end_date": "30/06/2027",
        "annexe-etp_conventioned": "3,5",
        "annexe-target_dynamic_rate": "60",
        "annexe-target_durable_rate": "",
    }
    answer = client.post(_url(world, "/conventionnement"), data=form)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"])
    assert "Annexe financière EI 01/07/2026 – 30/06/2027 (n° 045-EI-7) enregistrée." in text_of(
        page
    )
    stored = session.scalar(select(FundingAnnex).where(FundingAnnex.number == "045-EI-7"))
    assert stored.etp_conventioned == Decimal("3.50")
    assert stored.target_dynamic_rate == Decimal("0.6")
    assert stored.target_durable_rate is None
    assert stored.structure_id == world.a.structure.id

    again = client.post(_url(world, "/conventionnement"), data={**form, "annexe-number": "BIS"})
    assert again.status_code == 422
    text = text_of(again)
    assert "L'annexe EI 01/07/2026 – 30/06/2027 (n° 045-EI-7) couvre déjà une partie" in text
    assert 'value="BIS"' in again.get_data(as_text=True)


def test_annex_form_refusals_are_french(world, client_for):
    client = client_for(world.a.member("director"))
    answer = client.post(
        _url(world, "/conventionnement"),
        data={
            "annexe-kind": "ACI",
            "annexe-start_date": "31/12/2030",
            "annexe-end_date": "01/01/2030",
            "annexe-etp_conventioned": "2",
        },
    )
    assert answer.status_code == 422
    assert "La date de fin doit être après la date de début." in text_of(answer)
    answer = client.post(
        _url(world, "/conventionnement"),
        data={
            "annexe-kind": "ACI",
            "annexe-start_date": "01/01/2030",
            "annexe-end_date": "31/12/2030",
            "annexe-etp_conventioned": "2",
            "annexe-target_dynamic_rate": "160",
        },
    )
    assert answer.status_code == 422
    assert "Un objectif est un pourcentage entre 0 et 100." in text_of(answer)


def test_settings_are_saved_within_bounds(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    url = _url(world, "/conventionnement/reglages")

    def typed(hours="1607", stay="6", notice="3"):
        return {
            "reglages-hours_per_etp": hours,
            "reglages-exit_min_stay_months": stay,
            "reglages-renewal_notice_months": notice,
        }

    refused = client.post(url, data=typed(hours="5000"))
    assert refused.status_code == 422
    assert "Un ETP compte entre 1000 et 2300 heures par an" in text_of(refused)
    for notice in ("0", "7"):
        refused = client.post(url, data=typed(notice=notice))
        assert refused.status_code == 422
        assert "s'ouvre entre 1 et 6 mois avant la fin du contrat" in text_of(refused)
        assert f'value="{notice}"' in refused.get_data(as_text=True)  # what was typed stays
    session.refresh(world.a.structure)
    assert world.a.structure.renewal_notice_months == 2  # nothing saved by a refusal
    done = client.post(url, data=typed())
    assert done.status_code == 303
    session.refresh(world.a.structure)
    assert (world.a.structure.hours_per_etp, world.a.structure.exit_min_stay_months) == (1607, 6)
    assert world.a.structure.renewal_notice_months == 3
    assert world.b.structure.hours_per_etp == 1820
    assert world.b.structure.renewal_notice_months == 2
    for notice in ("1", "6"):  # both ends are allowed
        assert client.post(url, data=typed(notice=notice)).status_code == 303


def test_monthly_followup_lists_the_contracts_of_the_annex(world, client_for):
    coordinator = client_for(world.a.member("coordinator"))
    page = coordinator.get(_url(world, f"/suivi-mensuel?mois={MONTH}"))
    assert page.status_code == 200
    text = text_of(page)
    assert "Suivi mensuel · ACI" in text
    assert world.a.employee.display_name in text
    assert world.a.employee.passes[0].number in text
    assert "Heures travaillées" in text  # coordination reads named attendance
    assert world.b.employee.display_name not in text
    director = client_for(world.a.member("director"))
    text = text_of(director.get(_url(world, f"/suivi-mensuel?mois={MONTH}")))
    assert world.a.employee.display_name in text
    assert "Heures travaillées" not in text  # the direction reads attendance as totals only


def test_paid_hours_differing_from_the_contract_need_a_motif(world, client_for, session):
    client = client_for(world.a.member("coordinator"))
    contract = world.a.employee.contracts[0]
    url = _url(world, f"/suivi-mensuel/{contract.id}/heures")
    shown = client.get(f"{url}?mois={MONTH}")
    assert shown.status_code == 200
    assert "<strong>112,67 h</strong> payées ce mois selon le contrat" in text_of(shown)
    form = {"mois": MONTH, "annexe": str(world.a.annex.id), "hours": "100,5", "motif": ""}
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert "Indiquez pourquoi les heures payées diffèrent du contrat" in text_of(refused)
    assert 'value="100,5"' in refused.get_data(as_text=True)
    assert session.scalar(select(PaidHours)) is None

    done = client.post(url, data={**form, "motif": "Absence non rémunérée le 3"})
    assert done.status_code == 303
    row = session.scalar(select(PaidHours))
    assert (row.hours, row.motif, row.contract_id) == (
        Decimal("100.50"),
        "Absence non rémunérée le 3",
        contract.id,
    )
    page = client.get(done.headers["Location"])
    assert "Absence non rémunérée le 3" in text_of(page)
    change = session.scalar(select(ChangeRecord).where(ChangeRecord.entity == "paid_hours"))
    assert change.employee_id == world.a.employee.id


def test_paid_hours_of_another_structure_are_not_found(world, client_for):
    client = client_for(world.a.member("coordinator"))
    contract = world.b.employee.contracts[0]
    answer = client.post(
        _url(world, f"/suivi-mensuel/{contract.id}/heures"),
        data={"mois": MONTH, "hours": "10", "motif": "x"},
    )
    assert answer.status_code == 404


def test_exports_have_a_totals_row_and_neutralise_formulas(world, client_for, session):
    world.a.employee.first_name = '=HYPERLINK("http://x")'
    session.commit()
    client = client_for(world.a.member("coordinator"))
    answer = client.get(_url(world, f"/suivi-mensuel.csv?mois={MONTH}"))
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:7] == [
        "Nom",
        "Prénom",
        "N° PASS IAE",
        "Contrat du",
        "Contrat au",
        "Heures par semaine",
        "Heures payées",
    ]
    mine = next(r for r in rows if r[0] == world.a.employee.last_name.upper())
    assert mine[1] == '\'=HYPERLINK("http://x")'
    assert mine[6] == "112.67".replace(".", ",")  # 26 h × 52 / 12, a whole month
    assert rows[-1][0] == "Total"
    book = load_workbook(
        io.BytesIO(client.get(_url(world, f"/suivi-mensuel.xlsx?mois={MONTH}")).data)
    )
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    mine = next(r for r in cells if r[0] == world.a.employee.last_name.upper())
    assert mine[1] == '\'=HYPERLINK("http://x")'
    assert mine[6] == 112.67
    assert cells[-1][0] == "Total"
