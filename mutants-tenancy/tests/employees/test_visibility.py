"""Who sees which salarié and which part of the file (README, « Qui voit quoi »), table-driven."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import EligibilityCriterion, EmployeeCriterion
from siae_app.services.employees import identity
from tests import factories as f
from tests.employees.helpers import file_url, system, url
from tests.site import text_of

# role → (list status, sees the other team's salarié, sees eligibility, sees sensitive, edits)
TABLE = {
    "eti": (200, False, False, False, False),
    "cip": (200, True, True, True, True),
    "coordinator": (200, True, True, True, True),
    "director": (200, True, True, False, False),
    "admin": (403, False, False, False, False),
}


def _with_criteria(site):
    """The salarié of the ETI's team holds RSA (ordinary) and TH (sensitive: handicap)."""
    from siae_app import tenancy

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
        site.employee.accommodations = "Port de charges limité à 10 kg"
        db.session.commit()
    return crits


@pytest.mark.parametrize("role", TABLE)
def test_list_and_file_per_role(role, world, client_for):
    list_status, sees_other, sees_elig, sees_sensitive, edits = TABLE[role]
    crits = _with_criteria(world.a)
    client = client_for(world.a.member(role))
    r = client.get(url(world.a, "/"))
    assert r.status_code == list_status
    if list_status == 403:
        assert "Accès refusé" in text_of(r)
        assert client.get(file_url(world.a)).status_code == 403
        return
    html = text_of(r)
    assert world.a.employee.last_name.upper() in html
    assert (world.a.other_employee.last_name.upper() in html) == sees_other
    assert world.b.employee.last_name.upper() not in html

    page = client.get(file_url(world.a))
    assert page.status_code == 200
    text = text_of(page)
    assert "Port de charges limité à 10 kg" in text  # aménagements: every reader
    assert (crits["rsa"].label in text) == sees_elig
    assert (crits["th"].label in text) == sees_sensitive
    if sees_sensitive:
        assert f"<li data-sensitive>{crits['th'].label}</li>" in text
    assert ("Modifier l'identité" in text) == edits
    other = client.get(file_url(world.a, world.a.other_employee))
    assert other.status_code == (200 if sees_other else 404)


def test_eti_gets_404_on_another_teams_salarie_everywhere(world, client_for):
    client = client_for(world.a.member("eti"))
    other = world.a.other_employee
    for path in ("", "/historique"):
        r = client.get(file_url(world.a, other, path))
        assert r.status_code in (403, 404)
    r = client.get(file_url(world.a, other))
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    # A search does not reveal them either.
    html = text_of(client.get(url(world.a, f"/?q={other.last_name}&statut=tous")))
    assert "0 salarié" in html


def test_eti_with_a_broader_role_sees_everyone(world, client_for):
    both = f.MembershipFactory(
        structure=world.a.structure,
        roles=["eti", "cip"],
        user=f.UserFactory(email="eti-cip@example.org"),
    )
    client = client_for(both)
    page = client.get(file_url(world.a, world.a.other_employee))
    assert page.status_code == 200
    assert world.a.other_employee.display_name in text_of(page)
    listing = text_of(client.get(url(world.a, "/")))
    assert world.a.other_employee.display_name in listing
    assert world.a.employee.display_name in listing


def test_salarie_without_team_is_not_the_etis(world, client_for):
    lonely = f.make_employee(world.a.structure.id, None, None, last_name="Seul")
    client = client_for(world.a.member("eti"))
    r = client.get(file_url(world.a, lonely))
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    assert "SEUL" not in text_of(r)
    assert "SEUL" not in text_of(client.get(url(world.a, "/?statut=tous")))


def test_another_structures_salarie_is_404(world, client_for):
    client = client_for(world.a.member("all"))
    r = client.get(url(world.a, f"/{world.b.employee.id}"))
    assert r.status_code == 404 and "Page introuvable" in text_of(r)
    assert world.b.employee.display_name not in text_of(r)


def test_sensitive_history_values_hidden_from_direction(world, client_for):
    crits = _with_criteria(world.a)
    cip = client_for(world.a.member("cip"))
    r = cip.post(
        file_url(world.a, path="/eligibilite"), data={"criterion_ids": [str(crits["aah"].id)]}
    )
    assert r.status_code == 303
    system()
    assert (
        db.session.scalar(
            select(EligibilityCriterion.label)
            .join(EmployeeCriterion, EmployeeCriterion.criterion_id == EligibilityCriterion.id)
            .where(EmployeeCriterion.employee_id == world.a.employee.id)
        )
        == crits["aah"].label
    )
    direction = text_of(
        client_for(world.a.member("director")).get(file_url(world.a, path="/historique"))
    )
    assert "valeur confidentielle modifiée" in direction
    assert crits["aah"].label not in direction
    cip_view = text_of(cip.get(file_url(world.a, path="/historique")))
    assert crits["aah"].label in cip_view and "data-sensitive" in cip_view
