"""Proposing from the latest validated assessment, and who sees or does what."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import AttestationStatus, Immersion
from siae_app.models.attestations import Attestation
from tests import factories as f
from tests.querycount import count_queries
from tests.site import text_of


def _proposals(session, employee):
    return session.scalars(
        select(Attestation).where(
            Attestation.employee_id == employee.id,
            Attestation.status == AttestationStatus.PROPOSED,
        )
    ).all()


def test_eti_proposes_from_the_latest_validated_assessment(world, client_for, base, session):
    site = world.a
    client = client_for(site.member("eti"))
    r = client.post(f"{base}/salarie/{site.employee.id}", data={})
    assert r.status_code == 303
    [proposed] = _proposals(session, site.employee)
    content = proposed.content
    labels = [c["label"] for c in content["competencies"]]
    # Acquired levels only: the last competency is « En cours d'acquisition ».
    assert labels and "Travailler en équipe" not in labels
    assert all(c["level"] == "Acquis" for c in content["competencies"])
    assert content["competencies"][0]["framework"]["title"] == f"Savoir-être {site.slug}"
    assert content["competencies"][0]["block"]["title"] == "Bloc 1 du chantier"
    assert content["assessment"]["validated_by"]
    assert content["structure"]["name"] == "ACI Alpha"
    page = text_of(client.get(r.location))
    assert "Proposée" in page and labels[0] in page
    # One proposal at a time.
    again = client.post(f"{base}/salarie/{site.employee.id}", data={})
    assert again.status_code == 422 and "attend déjà la signature" in text_of(again)
    assert len(_proposals(session, site.employee)) == 1


def test_done_trainings_and_immersions_are_on_the_attestation(world, client_for, base, session):
    site = world.a
    for label, nature, status in (
        ("SST", "formation", "faite"),
        ("PMSMP en jardinerie", "pmsmp", "faite"),
        ("PMSMP en pépinière", "pmsmp", "prevue"),  # not done: not on the attestation
        ("Code de la route", "mobilite", "faite"),  # not a training
    ):
        f.ActionFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            label=label,
            nature=nature,
            status=status,
        )
    session.commit()
    client = client_for(site.member("eti"))
    assert client.post(f"{base}/salarie/{site.employee.id}", data={}).status_code == 303
    [proposed] = _proposals(session, site.employee)
    kinds = sorted((t["kind"], t["label"]) for t in proposed.content["trainings"])
    assert kinds == [("Formation", "SST"), ("PMSMP", "PMSMP en jardinerie")]


def test_no_validated_assessment_is_refused_in_french(world, client_for, base, session):
    site = world.a
    other = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name="Neuf")
    r = client_for(site.member("coordinator")).post(f"{base}/salarie/{other.id}", data={})
    assert r.status_code == 422
    assert "Aucune évaluation validée" in text_of(r)
    assert _proposals(session, other) == []


def test_eti_gets_404_outside_their_teams(world, client_for, base):
    site = world.a
    f.make_validated_assessment(site.other_employee, site.member("coordinator"))
    other = f.make_attestation(site.other_employee, site.member("coordinator"))
    client = client_for(site.member("eti"))
    assert client.get(f"{base}/{other.id}").status_code == 404
    assert client.get(f"{base}/salarie/{site.other_employee.id}").status_code == 404
    assert client.post(f"{base}/salarie/{site.other_employee.id}", data={}).status_code == 404
    listing = text_of(client.get(f"{base}/"))
    assert site.other_employee.display_name not in listing
    assert site.employee.display_name in listing


def test_roles(world, client_for, base):
    site = world.a
    url = f"{base}/{site.attestation.id}"
    cip = client_for(site.member("cip"))
    assert cip.get(url).status_code == 200
    assert "Signer l'attestation" not in text_of(cip.get(url))
    assert cip.post(f"{base}/salarie/{site.employee.id}", data={}).status_code == 403
    assert cip.post(f"{url}/revoquer", data={"motif": "x"}).status_code == 403
    admin = client_for(site.member("admin"))
    assert admin.get(url).status_code == 403
    assert admin.get(f"{base}/").status_code == 403
    director = client_for(site.member("director"))
    assert "Révoquer l'attestation" in text_of(director.get(url))
    assert client_for(site.member("coordinator")).get(f"{base}/lots").status_code == 403


def test_file_nav_links_to_attestations(world, client_for):
    site = world.a
    page = text_of(
        client_for(site.member("cip")).get(f"/s/{site.slug}/entretiens/salarie/{site.employee.id}")
    )
    assert f"/attestations/salarie/{site.employee.id}" in page


def test_list_query_count_does_not_grow(world, client_for, base):
    site = world.a
    client = client_for(site.member("director"))
    client.get(f"{base}/")
    with count_queries() as before:
        assert client.get(f"{base}/").status_code == 200
    for n in range(3):
        extra = f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=f"X{n}")
        f.make_validated_assessment(extra, site.member("eti"))
        f.make_attestation(extra, site.member("eti"))
    with count_queries() as after:
        assert client.get(f"{base}/").status_code == 200
    assert after.count == before.count


def test_period_ends_at_exit_and_stays_open_while_at_work(world, session):
    from datetime import date, timedelta

    site = world.a
    content = site.attestation.content
    assert content["period"]["start"] and content["period"]["weekly_hours"]
    contract = site.employee.contracts[0]
    contract.end_date = date.today() + timedelta(days=60)
    site.employee.exit_date = None
    session.commit()
    ongoing = f.make_attestation(site.employee, site.member("eti"))
    assert ongoing.content["period"]["end"] is None  # « depuis le … »
    ongoing.status = AttestationStatus.SIGNED  # let a second proposal through
    site.employee.exit_date = date.today() - timedelta(days=2)
    session.commit()
    left = f.make_attestation(site.employee, site.member("eti"))
    assert left.content["period"]["end"] == site.employee.exit_date.isoformat()


def test_the_pmsmp_on_the_attestation_are_the_conventions_carried_out(
    world, client_for, base, session
):
    site = world.a
    f.ActionFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        label="PMSMP notée en action",
        nature="pmsmp",
        status="faite",
    )
    host = f.PartnerFactory(structure_id=site.structure.id, name="Jardinerie du Pont")
    today = date.today()
    for start, days in ((today - timedelta(days=40), 6), (today, 3)):  # the second not ended
        session.add(
            Immersion(
                structure_id=site.structure.id,
                employee_id=site.employee.id,
                partner_id=host.id,
                object_kind="decouvrir",
                objectives="Découvrir la vente.",
                start_date=start,
                end_date=start + timedelta(days=days),
                days=days,
            )
        )
    session.commit()
    client = client_for(site.member("eti"))
    assert client.post(f"{base}/salarie/{site.employee.id}", data={}).status_code == 303
    [proposed] = _proposals(session, site.employee)
    pmsmp = [t for t in proposed.content["trainings"] if t["kind"] == "PMSMP"]
    assert [t["label"] for t in pmsmp] == [
        "Immersion chez Jardinerie du Pont (6 j) : Découvrir un métier ou un secteur d'activité"
    ]
