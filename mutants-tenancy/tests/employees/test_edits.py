"""Forms of the file: French validation at the field, history, optimistic concurrency."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import ChangeRecord, Contract, Employee, PassIae, PassStatus
from siae_app.services.employees import pass_iae
from tests import factories as f
from tests.employees.helpers import file_url, system, url
from tests.site import text_of


def _identity(employee, **changes):
    data = {
        "version_id": str(employee.version_id),
        "last_name": employee.last_name,
        "first_name": employee.first_name,
        "birth_date": employee.birth_date.isoformat(),
        "phone": employee.phone or "",
        "team_id": str(employee.team_id or ""),
        "referent_id": str(employee.referent_id or ""),
        "entry_date": employee.entry_date.isoformat() if employee.entry_date else "",
    }
    data.update(changes)
    return data


def test_new_salarie_then_duplicate_refused(world, client_for):
    client = client_for(world.a.member("cip"))
    data = {
        "last_name": "Lefèvre",
        "first_name": "Inès",
        "birth_date": "14/03/1990",
        "team_id": str(world.a.team.id),
        "entry_date": "2026-09-01",
    }
    r = client.post(url(world.a, "/nouveau"), data=data)
    assert r.status_code == 303
    page = text_of(client.get(r.location))
    assert "Fiche de Inès Lefèvre créée." in page and "14/03/1990" in page
    again = client.post(url(world.a, "/nouveau"), data={**data, "last_name": "LEFÈVRE "})
    assert again.status_code == 422
    assert "même date de naissance existe déjà" in text_of(again)


def test_identity_errors_in_french_with_input_kept(world, client_for):
    client = client_for(world.a.member("cip"))
    r = client.post(
        file_url(world.a, path="/identite"),
        data=_identity(world.a.employee, birth_date="31/02/1990", phone="07 11 22 33 44"),
    )
    assert r.status_code == 422
    html = text_of(r)
    assert "Date illisible : utilisez le format JJ/MM/AAAA." in html
    assert 'value="07 11 22 33 44"' in html
    later = (date.today() + timedelta(days=3)).isoformat()
    r = client.post(
        file_url(world.a, path="/identite"), data=_identity(world.a.employee, birth_date=later)
    )
    assert r.status_code == 422 and "La date de naissance doit être passée." in text_of(r)


def test_identity_edit_writes_one_change_record_per_field(world, client_for):
    member = world.a.member("coordinator")
    client = client_for(member)
    r = client.post(
        file_url(world.a, path="/identite"),
        data=_identity(
            world.a.employee, phone="07 00 00 00 01", team_id=str(world.a.other_team.id)
        ),
    )
    assert r.status_code == 303
    system()
    records = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.employee_id == world.a.employee.id, ChangeRecord.entity == "employee"
        )
    ).all()
    fields = {r.field: r for r in records}
    assert set(fields) == {"phone", "team_id"}
    assert fields["phone"].old_value == "06 12 34 56 78"
    assert fields["phone"].new_value == "07 00 00 00 01"
    assert fields["phone"].membership_id == member.id and not fields["phone"].sensitive
    history = text_of(client.get(file_url(world.a, path="/historique")))
    assert "Téléphone" in history and "06 12 34 56 78 → 07 00 00 00 01" in history
    assert f"{world.a.team.name} → {world.a.other_team.name}" in history


def test_stale_edit_shows_what_changed_and_keeps_the_typed_text(world, client_for):
    employee = world.a.employee
    loaded = _identity(employee)  # the form as the CIP loaded it
    coordinator = client_for(world.a.member("coordinator"))
    first = coordinator.post(
        file_url(world.a, path="/identite"), data={**loaded, "phone": "01 02 03 04 05"}
    )
    assert first.status_code == 303
    cip = client_for(world.a.member("cip"))
    stale = cip.post(
        file_url(world.a, path="/identite"),
        data={**loaded, "address": "12 rue des Lilas, Orléans"},
    )
    assert stale.status_code == 422
    html = text_of(stale)
    assert "Quelqu'un a modifié cette fiche pendant que vous la modifiiez." in html
    assert "Téléphone" in html and "01 02 03 04 05" in html and "06 12 34 56 78" in html
    assert 'value="12 rue des Lilas, Orléans"' in html  # typed text kept
    system()
    db.session.refresh(employee)
    assert employee.address is None and employee.phone == "01 02 03 04 05"
    # The form now carries the current version: saving again is a deliberate choice.
    assert f'name="version_id" type="hidden" value="{employee.version_id}"' in html
    again = cip.post(
        file_url(world.a, path="/identite"),
        data={
            **loaded,
            "version_id": str(employee.version_id),
            "address": "12 rue des Lilas, Orléans",
        },
    )
    assert again.status_code == 303


def _contract(client, site, **data):
    return client.post(file_url(site, path="/contrats/nouveau"), data=data)


def test_contract_rules_in_french(world, client_for):
    client = client_for(world.a.member("cip"))
    site = world.a
    current = site.employee.contracts[0]
    after = current.end_date + timedelta(days=1)
    r = _contract(client, site, start_date="2027-05-01", end_date="2027-01-01", weekly_hours="26")
    assert r.status_code == 422 and "La date de fin doit être après la date de début." in text_of(r)
    r = _contract(
        client,
        site,
        start_date=current.start_date.isoformat(),
        end_date=(current.start_date + timedelta(days=60)).isoformat(),
        weekly_hours="26",
    )
    assert r.status_code == 422 and "chevauchent un autre contrat" in text_of(r)
    r = _contract(
        client,
        site,
        start_date=after.isoformat(),
        end_date=(after + timedelta(days=90)).isoformat(),
        weekly_hours="15",
    )
    assert r.status_code == 422
    assert "En ACI, un CDDI compte au moins 20 heures par semaine." in text_of(r)
    assert 'value="15"' in text_of(r)
    # 12 months already; 14 more would make 26 months: a dérogation motif is required.
    end = (after + timedelta(days=425)).isoformat()
    r = _contract(client, site, start_date=after.isoformat(), end_date=end, weekly_hours="26")
    assert r.status_code == 422
    assert "au-delà de 24 mois, indiquez le motif de dérogation" in text_of(r)
    r = _contract(
        client,
        site,
        start_date=after.isoformat(),
        end_date=end,
        weekly_hours="26",
        derogation_motif="50_ans",
    )
    assert r.status_code == 303
    page = text_of(client.get(file_url(site)))
    assert "au-delà de 24 mois (dérogation)" in page


def test_hours_under_20_are_fine_outside_an_aci(world, client_for):
    world.b.structure.kind = "EI"
    db.session.commit()
    client = client_for(world.b.member("cip"))
    current = world.b.employee.contracts[0]
    after = current.end_date + timedelta(days=1)
    r = _contract(
        client,
        world.b,
        start_date=after.isoformat(),
        end_date=(after + timedelta(days=90)).isoformat(),
        weekly_hours="15",
    )
    assert r.status_code == 303
    stored = system().scalar(
        select(Contract).where(
            Contract.employee_id == world.b.employee.id, Contract.start_date == after
        )
    )
    assert stored is not None and stored.weekly_hours == 15
    assert stored.end_date == after + timedelta(days=90)


def test_renewal_follows_its_parent_and_alert_from_22_months(world, client_for):
    client = client_for(world.a.member("cip"))
    parent = world.a.employee.contracts[0]
    r = client.get(file_url(world.a, path=f"/contrats/{parent.id}/avenant"))
    start = parent.end_date + timedelta(days=1)
    assert f'value="{start.isoformat()}"' in text_of(r)
    r = client.post(
        file_url(world.a, path=f"/contrats/{parent.id}/avenant"),
        data={
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=310)).isoformat(),
            "weekly_hours": "30",
        },
    )
    assert r.status_code == 303
    system()
    renewal = db.session.scalar(select(Contract).where(Contract.parent_id == parent.id))
    assert renewal.weekly_hours == 30
    page = text_of(client.get(file_url(world.a)))
    assert "la limite de 24 mois approche" in page
    assert "Renouvellement / avenant du CDDI (30 h/semaine)" in page  # timeline


def test_pass_number_format_and_status(world, client_for):
    client = client_for(world.a.member("cip"))
    # A salarié without a PASS yet (a new one never overlaps a previous one).
    newcomer = f.EmployeeFactory(structure_id=world.a.structure.id, team_id=world.a.team.id)
    db.session.commit()
    r = client.post(
        file_url(world.a, newcomer, path="/pass/nouveau"),
        data={"number": "12345", "start_date": "01/01/2026"},
    )
    assert r.status_code == 422
    assert "Le numéro de PASS IAE compte 12 chiffres (exemple : 999992012345)." in text_of(r)
    r = client.post(
        file_url(world.a, newcomer, path="/pass/nouveau"),
        data={"number": "9999 9201 2345", "start_date": "01/01/2026"},
    )
    assert r.status_code == 303
    system()
    created = db.session.scalar(select(PassIae).where(PassIae.number == "999992012345"))
    assert created.end_date == date(2027, 12, 31)


def test_suspension_pushes_the_end_and_shows_suspended(world, client_for):
    client = client_for(world.a.member("cip"))
    p = world.a.employee.passes[0]
    before = pass_iae.effective_end(p)
    start = date.today() - timedelta(days=5)
    r = client.post(
        file_url(world.a, path=f"/pass/{p.id}/suspensions/nouvelle"),
        data={
            "motif": "contrat_suspendu",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=9)).isoformat(),
        },
    )
    assert r.status_code == 303
    system()
    db.session.refresh(p)
    assert pass_iae.effective_end(p) == before + timedelta(days=10)
    assert pass_iae.status(p) == PassStatus.SUSPENDED
    assert "Suspendu" in text_of(client.get(file_url(world.a)))
    overlap = client.post(
        file_url(world.a, path=f"/pass/{p.id}/suspensions/nouvelle"),
        data={
            "motif": "contrat_rompu",
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
        },
    )
    assert overlap.status_code == 422 and "Une suspension couvre déjà" in text_of(overlap)


def _in_window(p) -> str:
    """A day a prolongation may be asked for: a month before the PASS ends."""
    return (pass_iae.effective_end(p) - timedelta(days=30)).isoformat()


def test_rqth_extension_is_sensitive(world, client_for):
    client = client_for(world.a.member("cip"))
    p = world.a.employee.passes[0]
    r = client.post(
        file_url(world.a, path=f"/pass/{p.id}/prolongations/nouvelle"),
        data={"motif": "rqth", "months": "6", "decided_on": _in_window(p)},
    )
    assert r.status_code == 303
    cip_page = text_of(client.get(file_url(world.a)))
    assert "<span data-sensitive>Travailleur handicapé (RQTH)</span>" in cip_page
    eti_page = text_of(client_for(world.a.member("eti")).get(file_url(world.a)))
    assert "RQTH" not in eti_page and "motif confidentiel" in eti_page
    system()
    record = db.session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity == "pass_extension", ChangeRecord.field == "motif"
        )
    )
    assert record.sensitive


def test_exit_reason_must_match_kind_and_ends_the_contract(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = world.a.employee
    day = date.today() - timedelta(days=1)
    data = {
        "version_id": str(employee.version_id),
        "exit_date": day.isoformat(),
        "exit_kind": "emploi_durable",
        "exit_reason": "formation_qualifiante",
    }
    r = client.post(file_url(world.a, path="/sortie"), data=data)
    assert r.status_code == 422
    assert "Ce motif ne correspond pas au type « Emploi durable »." in text_of(r)
    r = client.post(file_url(world.a, path="/sortie"), data={**data, "exit_reason": "cdi"})
    assert r.status_code == 303
    system()
    db.session.refresh(employee)
    assert employee.exit_kind == "emploi_durable"
    assert employee.contracts[0].ended_early_on == day
    page = text_of(client.get(file_url(world.a)))
    assert "Sortie : Emploi durable (CDI)" in page
    listing = text_of(client.get(url(world.a, "/?statut=sorti")))
    assert employee.last_name.upper() in listing
    assert employee.last_name.upper() not in text_of(client.get(url(world.a, "/")))


def test_eti_cannot_edit(world, client_for):
    client = client_for(world.a.member("eti"))
    before = world.a.employee.phone
    r = client.post(
        file_url(world.a, path="/identite"),
        data=_identity(world.a.employee, phone="07 00 00 00 00"),
    )
    assert r.status_code == 403 and "Accès refusé" in text_of(r)
    system().refresh(world.a.employee)
    assert world.a.employee.phone == before


def test_unknown_salarie_in_structure_is_not_created_with_foreign_team(world, client_for):
    client = client_for(world.a.member("cip"))
    r = client.post(
        url(world.a, "/nouveau"),
        data={"last_name": "X", "first_name": "Y", "team_id": str(world.b.team.id)},
    )
    assert r.status_code == 422
    system()
    assert db.session.scalar(select(Employee).where(Employee.last_name == "X")) is None
    assert f  # factories imported for other tests of this module


def test_coordination_edits_the_criteria_list(world, client_for):
    client = client_for(world.a.member("coordinator"))
    page = text_of(client.get(url(world.a, "/criteres")))
    assert "Bénéficiaire du RSA" in page and "Travailleur handicapé (TH)" in page
    r = client.post(url(world.a, "/criteres"), data={"label": "Sortant de détention"})
    assert r.status_code == 303
    again = client.post(url(world.a, "/criteres"), data={"label": "sortant de détention"})
    assert again.status_code == 422 and "Ce critère existe déjà." in text_of(again)
    system()
    from siae_app.models import EligibilityCriterion

    crit = db.session.scalar(
        select(EligibilityCriterion).where(EligibilityCriterion.label == "Sortant de détention")
    )
    r = client.post(url(world.a, "/criteres/archiver"), data={"criterion_id": str(crit.id)})
    assert r.status_code == 303
    assert "Critère « Sortant de détention » archivé." in text_of(client.get(r.location))
    form = text_of(client.get(file_url(world.a, path="/eligibilite")))
    assert "Sortant de détention" not in form and "Bénéficiaire du RSA" in form
    # Another structure's criterion id is not found.
    system()
    from siae_app import tenancy
    from siae_app.services.employees import identity

    with tenancy.tenant_scope(db.session, world.b.structure.id):
        b_crit = identity.ensure_default_criteria(db.session)[0]
        db.session.commit()
    r = client.post(url(world.a, "/criteres/archiver"), data={"criterion_id": str(b_crit.id)})
    assert r.status_code == 422
    assert client_for(world.a.member("cip")).get(url(world.a, "/criteres")).status_code == 403


def test_cancelled_exit_restores_the_contract(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = world.a.employee
    day = date.today() - timedelta(days=2)
    r = client.post(
        file_url(world.a, path="/sortie"),
        data={
            "version_id": str(employee.version_id),
            "exit_date": day.isoformat(),
            "exit_kind": "autre",
            "exit_reason": "abandon",
        },
    )
    assert r.status_code == 303
    system()
    db.session.refresh(employee)
    r = client.post(
        file_url(world.a, path="/sortie/annuler"), data={"version_id": str(employee.version_id)}
    )
    assert r.status_code == 303
    assert "Sortie annulée" in text_of(client.get(r.location))
    system()
    db.session.refresh(employee)
    assert employee.exit_date is None and employee.contracts[0].ended_early_on is None


def test_stale_accommodations_keep_the_typed_text(world, client_for):
    employee = world.a.employee
    version = str(employee.version_id)
    coordinator = client_for(world.a.member("coordinator"))
    r = coordinator.post(
        file_url(world.a, path="/amenagements"),
        data={"version_id": version, "accommodations": "Pas de port de charges."},
    )
    assert r.status_code == 303
    cip = client_for(world.a.member("cip"))
    stale = cip.post(
        file_url(world.a, path="/amenagements"),
        data={"version_id": version, "accommodations": "Pauses toutes les deux heures."},
    )
    assert stale.status_code == 422
    html = text_of(stale)
    assert "Quelqu'un a modifié cette fiche" in html and "Aménagements de poste" in html
    assert "Pas de port de charges." in html  # their value
    assert "Pauses toutes les deux heures.</textarea>" in html  # the typed text, kept
