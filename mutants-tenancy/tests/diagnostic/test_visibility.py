"""Who reads which freins and notes (README, « Qui voit quoi »), table-driven, on every page
and fragment.

Sensitive content must sit inside an element with ``data-sensitive`` and nowhere else; the
direction, the administration and another ETI never receive it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from siae_app.models import AccessLog, ChangeRecord
from tests import factories as f
from tests.diagnostic.helpers import inside_sensitive, outside_sensitive
from tests.site import text_of

CIP_SANTE = "SECRET-CIP-SANTE"
ETI_ADDICTION = "SECRET-ETI-ADDICTION"
CIP_NOTE = "SECRET-CIP-NOTE"
ETI_NOTE = "SECRET-ETI-NOTE"
PUBLIC = ("PUBLIC-MOBILITE", "PUBLIC-NOTE")
SENSITIVE = (CIP_SANTE, ETI_ADDICTION, CIP_NOTE, ETI_NOTE)

# role → the sensitive markers it reads (every other one must be absent from every answer).
VISIBLE = {
    "cip": {CIP_SANTE, ETI_ADDICTION, CIP_NOTE, ETI_NOTE},
    "coordinator": {CIP_SANTE, ETI_ADDICTION, CIP_NOTE, ETI_NOTE},
    "eti": {ETI_ADDICTION, ETI_NOTE},
    "other_eti": set(),
    "director": set(),
    "admin": set(),
}
READS_PUBLIC = {"cip", "coordinator", "eti", "other_eti", "director"}


@pytest.fixture
def file(world):
    """world.a.employee with sensitive and plain freins and notes, and a second ETI of
    the same team (who must not see the first ETI's sensitive entries)."""
    site = world.a
    employee, cip, eti = site.employee, site.member("cip"), site.member("eti")
    other = f.MembershipFactory(
        structure=site.structure, roles=["eti"], user=f.UserFactory(email="eti2.alpha@example.org")
    )
    f.TeamSupervisorFactory(
        structure_id=site.structure.id, team_id=site.team.id, membership_id=other.id
    )
    site.members["other_eti"] = other
    barriers = {
        # Through the service: the history (ChangeRecord) holds the comments too.
        CIP_SANTE: f.diagnostic.record_barrier(employee, cip, "sante", CIP_SANTE, level=4),
        ETI_ADDICTION: f.diagnostic.record_barrier(employee, eti, "addictions", ETI_ADDICTION),
        "PUBLIC-MOBILITE": f.make_barrier(employee, cip, "logement", comment="PUBLIC-MOBILITE"),
    }
    f.make_note(employee, cip, CIP_NOTE, confidential=True)
    f.make_note(employee, eti, ETI_NOTE, confidential=True)
    f.make_note(employee, eti, "PUBLIC-NOTE")
    return site, barriers


def _pages(site, barriers) -> list[str]:
    e = site.employee
    base = f"/s/{site.slug}"
    urls = [
        f"{base}/diagnostic/{e.id}",
        f"{base}/actions/salarie/{e.id}",
        f"{base}/actions/{site.followup['action'].id}",
        f"{base}/accueil/{e.id}",
        f"{base}/entretiens/salarie/{e.id}",
        f"{base}/entretiens/{site.followup['interview'].id}",
        f"{base}/alertes/",
        f"{base}/partenaires/",
        f"{base}/",
        f"{base}/salaries/",
        f"{base}/salaries/{e.id}",
        f"{base}/salaries/{e.id}/historique",
        f"{base}/salaries/journal-des-acces",
        f"{base}/salaries/?q={e.last_name}",
    ]
    urls += [f"{base}/diagnostic/freins/{b.id}" for b in barriers.values()]
    return urls


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_reads_exactly_its_share_and_only_inside_data_sensitive(role, file, client_for):
    site, barriers = file
    client = client_for(site.member(role))
    seen: set[str] = set()
    for url in _pages(site, barriers):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            html = text_of(response)
            outside = outside_sensitive(html)
            for marker in SENSITIVE:
                assert marker not in outside, f"{role}: {marker} hors data-sensitive sur {url}"
                if marker in html:
                    seen.add(marker)
    assert seen == VISIBLE[role]


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_public_freins_and_notes_by_role(role, file, client_for):
    site, _ = file
    response = client_for(site.member(role)).get(f"/s/{site.slug}/diagnostic/{site.employee.id}")
    if role not in READS_PUBLIC:
        assert response.status_code == 403 and "Accès refusé" in text_of(response)
        return
    html = text_of(response)
    assert all(p in outside_sensitive(html) for p in PUBLIC)
    assert "data-sensitive" not in html or VISIBLE[role]


@pytest.mark.parametrize(
    ("role", "marker", "status"),
    [
        ("cip", CIP_SANTE, 200),
        ("coordinator", ETI_ADDICTION, 200),
        ("eti", ETI_ADDICTION, 200),
        ("eti", CIP_SANTE, 404),
        ("other_eti", ETI_ADDICTION, 404),
        ("director", CIP_SANTE, 404),
        ("director", "PUBLIC-MOBILITE", 200),
    ],
)
def test_sensitive_frein_page_is_not_found_for_those_who_may_not_read_it(
    role, marker, status, file, client_for
):
    site, barriers = file
    response = client_for(site.member(role)).get(
        f"/s/{site.slug}/diagnostic/freins/{barriers[marker].id}"
    )
    assert response.status_code == status
    if status == 200:
        assert marker in inside_sensitive(text_of(response)) or marker in PUBLIC
    else:
        assert marker not in text_of(response)


def test_error_pages_keep_sensitive_content_inside_data_sensitive(file, client_for):
    """A refused form re-renders the page: same filtering, same wrapping."""
    site, _ = file
    client = client_for(site.member("coordinator"))
    r = client.post(
        f"/s/{site.slug}/diagnostic/{site.employee.id}/freins",
        data={"frein-axis_id": "", "frein-status": "identifie", "frein-comment": "tapé"},
    )
    html = text_of(r)
    assert r.status_code == 422 and "Ce champ est obligatoire." in html
    assert "tapé" in html
    assert CIP_SANTE in inside_sensitive(html) and CIP_SANTE not in outside_sensitive(html)
    r = client_for(site.member("eti")).post(
        f"/s/{site.slug}/diagnostic/{site.employee.id}/notes", data={"note-body": ""}
    )
    html = text_of(r)
    assert r.status_code == 422
    assert CIP_NOTE not in html and CIP_SANTE not in html
    assert ETI_NOTE in inside_sensitive(html)


def test_viewing_sensitive_content_writes_the_access_log(file, client_for, session):
    site, barriers = file

    def logs(member):
        return session.scalars(
            select(AccessLog).where(AccessLog.membership_id == member.id).order_by(AccessLog.at)
        ).all()

    cip, director = site.member("cip"), site.member("director")
    client_for(cip).get(f"/s/{site.slug}/diagnostic/{site.employee.id}")
    client_for(cip).get(f"/s/{site.slug}/diagnostic/freins/{barriers[CIP_SANTE].id}")
    rows = logs(cip)
    assert [(r.part, r.sensitive) for r in rows] == [
        ("diagnostic.page", True),
        ("diagnostic.barrier", True),
    ]
    assert {r.employee_id for r in rows} == {site.employee.id}
    client_for(director).get(f"/s/{site.slug}/diagnostic/{site.employee.id}")
    # The direction saw the page, nothing sensitive in it.
    assert [(r.part, r.sensitive) for r in logs(director)] == [("diagnostic.page", False)]


def test_eti_writes_a_sensitive_frein_then_sees_only_their_own(file, client_for, session):
    site, _ = file
    client = client_for(site.member("eti"))
    r = client.post(
        f"/s/{site.slug}/diagnostic/{site.employee.id}/freins",
        data={
            "frein-axis_id": str(f.diagnostic.axis(site.structure.id, "justice").id),
            "frein-status": "identifie",
            "frein-level": "",
            "frein-comment": "SECRET-ETI-JUSTICE",
        },
    )
    assert r.status_code == 303
    html = text_of(client.get(r.location))
    assert "SECRET-ETI-JUSTICE" in inside_sensitive(html)
    assert CIP_SANTE not in html
    record = session.scalar(
        select(ChangeRecord).where(ChangeRecord.new_value == "SECRET-ETI-JUSTICE")
    )
    assert record.sensitive is True and record.entity == "frein"
    # The director never sees it, nor another ETI of the same team.
    for role in ("director", "other_eti"):
        page = text_of(client_for(site.member(role)).get(r.location))
        assert "SECRET-ETI-JUSTICE" not in page


def test_coordinator_reads_but_may_not_write_a_sensitive_frein(file, client_for):
    site, barriers = file
    client = client_for(site.member("coordinator"))
    santé = barriers[CIP_SANTE]
    r = client.post(
        f"/s/{site.slug}/diagnostic/freins/{santé.id}",
        data={
            "frein-axis_id": str(santé.axis_id),
            "frein-status": "leve",
            "frein-version_id": str(santé.version_id),
        },
    )
    assert r.status_code == 422
    assert "Votre rôle ne permet pas" in inside_sensitive(text_of(r))
    r = client.post(
        f"/s/{site.slug}/diagnostic/{site.employee.id}/notes",
        data={"note-body": "Essai", "note-is_confidential": "y"},
    )
    assert r.status_code == 422 and "note confidentielle" in text_of(r)


def test_other_structure_and_other_team_are_not_found(world, client_for):
    eti = client_for(world.a.member("eti"))
    assert eti.get(f"/s/alpha/diagnostic/{world.a.other_employee.id}").status_code == 404
    cip = client_for(world.a.member("cip"))
    r = cip.get(f"/s/alpha/diagnostic/freins/{world.b.followup['barrier'].id}")
    assert r.status_code == 404 and "Page introuvable" in text_of(r)


def test_a_frein_moved_off_a_sensitive_axis_keeps_its_old_values_protected(file, client_for):
    site, barriers = file
    santé = barriers[CIP_SANTE]
    cip = client_for(site.member("cip"))
    r = cip.post(
        f"/s/{site.slug}/diagnostic/freins/{santé.id}",
        data={
            "frein-axis_id": str(f.diagnostic.axis(site.structure.id, "mobilite").id),
            "frein-status": "identifie",
            "frein-comment": "Reclassé en mobilité",
            "frein-version_id": str(santé.version_id),
        },
    )
    assert r.status_code == 303
    url = f"/s/{site.slug}/diagnostic/freins/{santé.id}"
    director = text_of(client_for(site.member("director")).get(url))
    assert "Reclassé en mobilité" in director
    assert CIP_SANTE not in director and "Santé" not in director
    page = text_of(cip.get(url))
    assert CIP_SANTE in inside_sensitive(page) and CIP_SANTE not in outside_sensitive(page)
