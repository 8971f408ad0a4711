"""A salarié in an immersion (PMSMP) that day: the roster says where they may be, and
« Tous présents » leaves them to be marked one by one (the days at the host are not every
day of the convention), on both sides of the convention's dates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app.models import Attendance, Immersion
from tests import factories as f
from tests.factories.employees import make_employee
from tests.site import text_of

TODAY = date.today()


@pytest.fixture
def away(world, session):
    """Site a's salarié of the ETI's team, in a convention that ends today; a teammate not."""
    site = world.a
    host = f.PartnerFactory(structure_id=site.structure.id, name="Mairie de Lune")
    session.add(
        Immersion(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            partner_id=host.id,
            object_kind="decouvrir",
            objectives="Découvrir l'accueil en mairie.",
            start_date=TODAY - timedelta(days=5),
            end_date=TODAY,
            days=4,
        )
    )
    teammate = make_employee(site.structure.id, site.team, last_name="Equipier")
    session.commit()
    return site, teammate


def _roster(client, site, day):
    return client.get(f"/s/{site.slug}/presences/equipes/{site.team.id}?jour={day.isoformat()}")


@pytest.mark.parametrize(("offset", "shown"), [(-6, False), (-5, True), (0, True), (1, False)])
def test_the_roster_says_who_is_in_immersion_that_day(away, client_for, offset, shown):
    site, _teammate = away
    eti = client_for(site.member("eti"))
    page = text_of(_roster(eti, site, TODAY + timedelta(days=offset)))
    note = f"En immersion chez Mairie de Lune jusqu'au {TODAY:%d/%m}"
    assert (note in page) == shown


def test_all_present_leaves_the_salarie_in_immersion_to_be_marked_alone(away, client_for, session):
    site, teammate = away
    eti = client_for(site.member("eti"))
    html = _roster(eti, site, TODAY).get_data(as_text=True)
    assert f'name="rec-{site.employee.id}"' not in html  # not in the button's form
    assert f'name="rec-{teammate.id}"' in html
    assert "Tous présents (1)" in text_of(_roster(eti, site, TODAY))
    # even if a form (an older page, a replay) sends them, they are not marked present
    form = {f"rec-{site.employee.id}": str(uuid.uuid4()), f"rec-{teammate.id}": str(uuid.uuid4())}
    answer = eti.post(f"/s/{site.slug}/presences/equipes/{site.team.id}/tous-presents", data=form)
    assert answer.status_code == 303
    marked = set(session.scalars(select(Attendance.employee_id).where(Attendance.day == TODAY)))
    assert marked == {teammate.id}
