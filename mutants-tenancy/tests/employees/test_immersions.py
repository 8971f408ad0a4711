"""Immersions (PMSMP) within code du travail D5135-3: each rule with dates on both sides of
its limit (the day before, of and after), then the pages (list, form, outcome) with the French
text and what was typed kept on a refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import ChangeRecord, Immersion
from siae_app.services import ServiceError, immersions
from tests import factories as f
from tests.employees.helpers import file_url, system
from tests.site import text_of

START = date(2025, 3, 10)
OBJ = "Découvrir le métier d'agent d'entretien des espaces verts."


@pytest.fixture
def ctx(world):
    site = world.a
    return (
        site,
        site.member("cip"),
        site.employee,
        f.PartnerFactory(structure_id=site.structure.id, name="Mairie de Lune"),
    )


def _new(ctx, start=START, end=None, days=5, obj="decouvrir", objectives=OBJ, partner=None):
    _site, cip, employee, host = ctx
    values = {
        "partner": partner or host,
        "object_kind": obj,
        "objectives": objectives,
        "start_date": start,
        "end_date": end or start + timedelta(days=6),
        "days": days,
    }
    return immersions.create(db.session, cip, employee, values)


def _renew(ctx, original, start, end=None, days=5):
    _site, cip, employee, _host = ctx
    values = {"start_date": start, "end_date": end or start + timedelta(days=6), "days": days}
    return immersions.create(db.session, cip, employee, values, renewal_of=original)


def _outcome(ctx, row, reached="non", offer=False, today=None):
    _site, cip, _employee, _host = ctx
    values = {"objectives_reached": reached, "host_observations": "Ponctuel.", "job_offer": offer}
    return immersions.record_outcome(
        db.session, cip, row, values, today=today or row.end_date + timedelta(days=1)
    )


def _refused(call, field: str) -> str:
    with pytest.raises(ServiceError) as refusal:
        call()
    assert refusal.value.field == field
    return refusal.value.message


# ------------------------------------------------------------------ one month, date to date


@pytest.mark.parametrize(
    ("start", "last_end"),
    [
        (date(2025, 3, 10), date(2025, 4, 9)),
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 1, 31), date(2025, 2, 27)),  # 28/02 is « a month later », the day before
    ],
)
def test_one_month_date_to_date_the_day_before_and_of_pass_the_day_after_is_refused(
    ctx, start, last_end
):
    assert immersions.latest_end(start) == last_end
    before = _new(ctx, start=start, end=last_end - timedelta(days=1), days=3)
    db.session.delete(before)  # one immersion at a time: the next one has the same dates
    db.session.flush()
    row = _new(
        ctx, start=start, end=last_end, days=3, obj="confirmer", objectives="Confirmer le projet."
    )
    assert row.end_date == last_end
    message = _refused(
        lambda: _new(ctx, start=start, end=last_end + timedelta(days=1), days=3, obj="recruter"),
        "end_date",
    )
    assert "un mois au plus, de date à date" in message
    assert last_end.strftime("%d/%m/%Y") in message


def test_the_days_are_at_most_the_calendar_days_and_the_end_follows_the_start(ctx):
    end = START + timedelta(days=4)  # five calendar days
    assert _refused(lambda: _new(ctx, end=end, days=6), "days").startswith(
        "Du 10/03/2025 au 14/03/2025, il y a 5 jours au plus"
    )
    assert _new(ctx, end=end, days=5).days == 5
    assert "précède" in _refused(
        lambda: _new(ctx, start=START, end=START - timedelta(days=1), obj="recruter"), "end_date"
    )


# ------------------------------------------------------------------ one immersion at a time


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (date(2025, 3, 3), date(2025, 3, 9), False),  # ends the day before the other's start
        (date(2025, 3, 4), date(2025, 3, 10), True),  # ends on the other's start
        (date(2025, 3, 5), date(2025, 3, 11), True),  # ends the day after the other's start
        (date(2025, 3, 15), date(2025, 3, 20), True),  # starts the day before the other's end
        (date(2025, 3, 16), date(2025, 3, 20), True),  # starts on the other's end
        (date(2025, 3, 17), date(2025, 3, 20), False),  # starts the day after the other's end
        (date(2025, 3, 1), date(2025, 3, 31), True),  # holds the other
        (date(2025, 3, 12), date(2025, 3, 13), True),  # within the other
    ],
)
def test_two_immersions_of_a_salarie_never_overlap_whatever_the_host(ctx, start, end, refused):
    _new(ctx)  # Mairie de Lune, 10/03/2025 to 16/03/2025
    other = f.PartnerFactory(structure_id=ctx[0].structure.id, name="Boulangerie Soleil")
    call = lambda: _new(ctx, start=start, end=end, days=2, partner=other)  # noqa: E731
    if not refused:
        assert call().partner_id == other.id
        return
    assert _refused(call, "start_date") == (
        "Ce salarié a déjà une convention d'immersion avec Mairie de Lune du 10/03/2025 au "
        "16/03/2025 : deux immersions ne peuvent pas se chevaucher."
    )
    assert db.session.query(Immersion).count() == 1


def test_another_salarie_may_be_in_immersion_on_the_same_days(ctx):
    _new(ctx)
    _site, cip, _employee, host = ctx
    someone = f.EmployeeFactory(structure_id=ctx[0].structure.id)
    values = {
        "partner": host,
        "object_kind": "decouvrir",
        "objectives": OBJ,
        "start_date": START,
        "end_date": START + timedelta(days=6),
        "days": 5,
    }
    assert immersions.create(db.session, cip, someone, values).employee_id == someone.id


def test_a_renewal_does_not_overlap_another_convention(ctx):
    first = _new(ctx)  # 10/03 to 16/03
    _outcome(ctx, first)
    other = f.PartnerFactory(structure_id=ctx[0].structure.id, name="Boulangerie Soleil")
    _new(ctx, start=date(2025, 3, 20), end=date(2025, 3, 25), days=3, partner=other)
    message = _refused(
        lambda: _renew(ctx, first, date(2025, 3, 17), end=date(2025, 3, 20), days=3), "start_date"
    )
    assert "avec Boulangerie Soleil du 20/03/2025 au 25/03/2025" in message
    renewal = _renew(ctx, first, date(2025, 3, 17), end=date(2025, 3, 19), days=3)
    assert renewal.renewal_of_id == first.id
    # The renewal is named as such when a later convention meets it.
    message = _refused(
        lambda: _new(ctx, start=date(2025, 3, 19), days=1, obj="recruter", partner=other),
        "start_date",
    )
    assert message.startswith(
        "Ce salarié a déjà un renouvellement d'immersion avec Mairie de Lune du 17/03/2025 au "
        "19/03/2025"
    )


# ------------------------------------------------------------------ renewed once


def test_a_renewal_needs_objectives_not_reached(ctx):
    first = _new(ctx)
    assert "enregistrez d'abord son bilan" in _refused(
        lambda: _renew(ctx, first, START + timedelta(days=20)), "start_date"
    )
    _outcome(ctx, first, reached="oui")
    assert "seulement si ses objectifs n'ont pas été atteints" in _refused(
        lambda: _renew(ctx, first, START + timedelta(days=20)), "start_date"
    )
    _outcome(ctx, first, reached="partiellement")
    renewal = _renew(ctx, first, START + timedelta(days=20))
    assert renewal.renewal_of_id == first.id
    assert (renewal.partner_id, renewal.object_kind, renewal.objectives) == (
        first.partner_id,
        first.object_kind,
        first.objectives,
    )


def test_renewed_once_never_a_renewal_of_a_renewal(ctx):
    first = _new(ctx)
    _outcome(ctx, first)
    renewal = _renew(ctx, first, START + timedelta(days=20))
    assert "déjà été renouvelée" in _refused(
        lambda: _renew(ctx, first, START + timedelta(days=40)), "start_date"
    )
    _outcome(ctx, renewal)
    assert "déjà un renouvellement" in _refused(
        lambda: _renew(ctx, renewal, START + timedelta(days=40)), "start_date"
    )


def test_a_renewal_starts_after_the_end_of_its_convention(ctx):
    first = _new(ctx)  # ends on 16/03
    _outcome(ctx, first)
    assert "après la fin de la convention, le 16/03/2025" in _refused(
        lambda: _renew(ctx, first, first.end_date), "start_date"
    )
    assert _renew(ctx, first, first.end_date + timedelta(days=1)).start_date == date(2025, 3, 17)


# ------------------------------------------------------------------ same host, twelve months


def test_two_conventions_per_host_in_twelve_months_renewal_not_counted(ctx):
    first = _new(ctx, days=3)
    _outcome(ctx, first)
    _renew(ctx, first, START + timedelta(days=20), days=3)  # not one of the two
    _new(ctx, start=START + timedelta(days=60), days=3, obj="confirmer", objectives="Projet.")
    # The third one in the twelve months that open on 10/03/2025 (they end on 09/03/2026).
    last_day = date(2026, 3, 9)
    assert immersions.window_end(START) == last_day
    message = _refused(
        lambda: _new(ctx, start=last_day, days=3, obj="recruter", objectives="Embauche."),
        "partner_id",
    )
    assert "deux conventions au plus sur douze mois consécutifs" in message
    assert _refused(
        lambda: _new(
            ctx, start=last_day - timedelta(days=1), days=3, obj="recruter", objectives="Emb."
        ),
        "partner_id",
    )
    # The day after: the first convention has left the window.
    row = _new(ctx, start=last_day + timedelta(days=1), days=3, obj="recruter", objectives="E.")
    assert row.start_date == date(2026, 3, 10)


def test_another_host_has_its_own_count(ctx):
    site = ctx[0]
    other = f.PartnerFactory(structure_id=site.structure.id, name="Boulangerie Soleil")
    _new(ctx, days=3)
    _new(ctx, start=START + timedelta(days=40), days=3, obj="confirmer", objectives="P.")
    assert _new(ctx, start=START + timedelta(days=80), days=3, partner=other).partner_id == (
        other.id
    )


def test_a_second_convention_with_the_same_host_has_other_objectives(ctx):
    _new(ctx)
    message = _refused(
        lambda: _new(ctx, start=START + timedelta(days=30), objectives="  " + OBJ.upper()),
        "objectives",
    )
    assert "un objet ou des objectifs différents" in message
    assert _new(ctx, start=START + timedelta(days=30), obj="confirmer").object_kind == "confirmer"


def test_the_same_objectives_twelve_months_later_are_a_new_convention(ctx):
    _new(ctx)
    with pytest.raises(ServiceError):
        _new(ctx, start=date(2026, 3, 9))
    assert _new(ctx, start=date(2026, 3, 10)).start_date == date(2026, 3, 10)


def test_sixty_days_per_host_renewals_included(ctx):
    first = _new(ctx, end=date(2025, 4, 9), days=25)
    _outcome(ctx, first)
    _renew(ctx, first, date(2025, 4, 10), end=date(2025, 5, 9), days=25)  # 50 days used
    second = {"obj": "confirmer", "objectives": "Projet.", "end": date(2025, 7, 20)}
    assert immersions.days_left(immersions.with_host(db.session, ctx[2], ctx[3]), START) == 10
    message = _refused(lambda: _new(ctx, start=date(2025, 7, 1), days=11, **second), "days")
    assert "60 jours d'immersion au plus sur douze mois" in message
    assert "il en reste 10" in message
    assert _new(ctx, start=date(2025, 7, 1), days=10, **second).days == 10


def test_sixty_days_count_per_window_of_twelve_months(ctx):
    first = _new(ctx, end=date(2025, 4, 9), days=30)
    rows = [first]
    assert immersions.days_left(rows, date(2026, 3, 9)) == 30
    assert immersions.days_left(rows, date(2026, 3, 10)) == 60
    assert immersions.days_left(rows, date(2025, 3, 9)) == 30  # the next twelve months hold it
    assert immersions.days_left(rows, date(2024, 3, 11)) == 30  # its window ends on 10/03/2025
    assert immersions.days_left(rows, date(2024, 3, 10)) == 60


# ------------------------------------------------------------------ outcome


def test_the_outcome_is_recorded_after_the_end_date_with_history(ctx):
    row = _new(ctx)
    assert "après sa fin, le 16/03/2025" in _refused(
        lambda: _outcome(ctx, row, today=row.end_date), "objectives_reached"
    )
    _outcome(ctx, row, today=row.end_date + timedelta(days=1))
    assert row.objectives_reached == "non"
    fields = {
        r.field: r.new_value
        for r in db.session.query(ChangeRecord).filter(ChangeRecord.entity_id == row.id)
    }
    assert fields["objectives_reached"] == "Non"
    assert fields["host"] == "Mairie de Lune"
    assert fields["object_kind"] == "Découvrir un métier ou un secteur d'activité"


def test_an_offer_of_work_is_described(ctx):
    row = _new(ctx)
    assert "Précisez l'offre" in _refused(
        lambda: _outcome(ctx, row, reached="oui", offer=True), "job_offer_details"
    )


# ------------------------------------------------------------------ pages


def _form(client, site, **data):
    values = {
        "partner_id": "",
        "object_kind": "decouvrir",
        "objectives": OBJ,
        "start_date": "10/03/2025",
        "end_date": "10/04/2025",
        "days": "5",
    }
    values.update(data)
    return client.post(file_url(site, path="/immersions/nouvelle"), data=values)


def test_a_convention_past_one_month_is_refused_keeping_what_was_typed(ctx, client_for):
    site, cip, _employee, host = ctx
    client = client_for(cip)
    answer = _form(client, site, partner_id=str(host.id))
    assert answer.status_code == 422
    page = text_of(answer)
    assert "pour un début le 10/03/2025, elle se termine au plus tard le 09/04/2025" in page
    assert OBJ in page and 'value="10/04/2025"' in answer.get_data(as_text=True)
    answer = _form(client, site, partner_id=str(host.id), end_date="09/04/2025")
    assert answer.status_code == 303, text_of(answer)
    system()
    page = text_of(client.get(answer.location))
    assert "Convention d'immersion enregistrée." in page
    assert "Convention avec Mairie de Lune" in page and "5 jours d'immersion" in page
    assert "Jours restants avec Mairie de Lune sur 12 mois" in page
    form_page = text_of(client.get(file_url(site, path="/immersions/nouvelle?debut=2025-06-01")))
    assert "Jours restants avec Mairie de Lune sur 12 mois : 55" in form_page


def test_an_overlapping_convention_is_refused_on_the_page_keeping_what_was_typed(ctx, client_for):
    site, cip, _employee, host = ctx
    _new(ctx)  # 10/03/2025 to 16/03/2025
    client = client_for(cip)
    answer = _form(
        client,
        site,
        partner_id=str(host.id),
        object_kind="confirmer",
        start_date="16/03/2025",
        end_date="20/03/2025",
        days="3",
    )
    assert answer.status_code == 422
    page = text_of(answer)
    assert "déjà une convention d'immersion avec Mairie de Lune du 10/03/2025 au 16/03/2025" in page
    assert 'value="16/03/2025"' in answer.get_data(as_text=True)


def test_outcome_then_renewal_on_the_pages(ctx, client_for):
    site, cip, _employee, _host = ctx
    row = _new(ctx)
    client = client_for(cip)
    outcome_url = file_url(site, path=f"/immersions/bilan?convention={row.id}")
    answer = client.post(
        outcome_url,
        data={"objectives_reached": "non", "host_observations": "À revoir.", "job_offer": "non"},
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    page = text_of(client.get(answer.location))
    assert "Objectifs atteints : Non (objectifs non atteints)" in page and "Renouveler" in page
    renew = file_url(site, path=f"/immersions/nouvelle?renouvelle={row.id}")
    answer = client.post(
        renew, data={"start_date": "16/03/2025", "end_date": "20/03/2025", "days": "3"}
    )
    assert answer.status_code == 422
    assert "après la fin de la convention, le 16/03/2025" in text_of(answer)
    answer = client.post(
        renew, data={"start_date": "17/03/2025", "end_date": "20/03/2025", "days": "3"}
    )
    assert answer.status_code == 303, text_of(answer)
    system()
    assert "Renouvellement enregistré." in text_of(client.get(answer.location))
    assert db.session.query(Immersion).filter_by(renewal_of_id=row.id).count() == 1


def test_the_eti_reads_and_cannot_write_another_structure_never_finds_it(ctx, world, client_for):
    site, _cip, _employee, _host = ctx
    row = _new(ctx)
    eti = client_for(site.member("eti"))
    assert "Convention avec Mairie de Lune" in text_of(eti.get(file_url(site, path="/immersions")))
    assert eti.get(file_url(site, path="/immersions/nouvelle")).status_code == 403
    outsider = client_for(world.b.member("cip"))
    url = f"/s/{world.b.slug}/salaries/{world.b.employee.id}/immersions/bilan?convention={row.id}"
    assert outsider.get(url).status_code == 404


# ------------------------------------------------------------------ corrections


def _update(ctx, row, **changes):
    _site, cip, _employee, _host = ctx
    values = {
        "objectives": row.objectives,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "days": row.days,
        **changes,
    }
    return immersions.update(db.session, cip, row, values)


@pytest.mark.parametrize(("end", "ok"), [(date(2025, 4, 9), True), (date(2025, 4, 10), False)])
def test_a_corrected_convention_keeps_to_one_month(ctx, end, ok):
    row = _new(ctx)  # from 10/03/2025
    if ok:
        _update(ctx, row, end_date=end)
        assert row.end_date == end
    else:
        message = _refused(lambda: _update(ctx, row, end_date=end), "end_date")
        assert "au plus tard le 09/04/2025" in message
        assert row.end_date == START + timedelta(days=6)  # nothing changed


def test_a_convention_is_not_counted_against_itself(ctx):
    row = _new(ctx, end=START + timedelta(days=30), days=20)
    _update(ctx, row, days=31)  # alone with its host: 31 of its own 60 days, overlap with itself
    assert row.days == 31


@pytest.mark.parametrize(("start", "ok"), [(date(2025, 3, 24), False), (date(2025, 3, 25), True)])
def test_a_corrected_convention_never_meets_another(ctx, start, ok):
    _new(ctx, start=START, end=date(2025, 3, 24))
    other = _new(ctx, start=date(2025, 4, 10), objectives="Autre objectif.")
    call = lambda: _update(ctx, other, start_date=start, end_date=start + timedelta(days=3), days=3)  # noqa: E731
    if ok:
        call()
        assert other.start_date == start
    else:
        assert "ne peuvent pas se chevaucher" in _refused(call, "start_date")


def test_a_renewed_convention_ends_before_its_renewal_and_keeps_its_objectives(ctx):
    row = _new(ctx)  # 10/03 → 16/03
    _outcome(ctx, row, reached="non")
    renewal = _renew(ctx, row, date(2025, 3, 20))
    message = _refused(lambda: _update(ctx, row, end_date=date(2025, 3, 20)), "end_date")
    assert "renouvelée à partir du 20/03/2025" in message
    _update(ctx, row, end_date=date(2025, 3, 19), objectives="Autre chose")
    assert row.end_date == date(2025, 3, 19) and row.objectives == OBJ
    message = _refused(lambda: _update(ctx, renewal, start_date=date(2025, 3, 19)), "start_date")
    assert "après la fin de la convention, le 19/03/2025" in message


def test_deleting_a_convention_waits_for_its_renewal_and_is_in_the_history(ctx):
    _site, cip, employee, _host = ctx
    row = _new(ctx)
    _outcome(ctx, row, reached="non")
    renewal = _renew(ctx, row, date(2025, 3, 20))
    with pytest.raises(ServiceError) as refusal:
        immersions.delete(db.session, cip, row)
    assert "supprimez d'abord son renouvellement" in refusal.value.message
    immersions.delete(db.session, cip, renewal)
    immersions.delete(db.session, cip, row)
    assert db.session.query(Immersion).filter_by(employee_id=employee.id).count() == 0
    deleted = db.session.scalars(
        select(ChangeRecord).where(
            ChangeRecord.entity == "immersion", ChangeRecord.field == "deleted"
        )
    ).all()
    assert len(deleted) == 2
    assert any(
        "Convention avec Mairie de Lune du 10/03/2025" in (r.new_value or "") for r in deleted
    )


def test_correct_then_delete_on_the_pages(ctx, client_for):
    site, cip, _employee, _host = ctx
    row = _new(ctx)
    client = client_for(cip)
    edit = file_url(site, path=f"/immersions/modifier?convention={row.id}")
    page = client.get(edit)
    assert page.status_code == 200 and 'value="2025-03-10"' in page.get_data(as_text=True)
    refused = client.post(
        edit,
        data={
            "objectives": "Tenir le comptoir.",
            "start_date": "10/03/2025",
            "end_date": "12/04/2025",
            "days": "5",
        },
    )
    assert refused.status_code == 422
    assert "au plus tard le 09/04/2025" in text_of(refused)
    assert "Tenir le comptoir." in refused.get_data(as_text=True)  # what was typed stays
    done = client.post(
        edit,
        data={
            "objectives": "Tenir le comptoir.",
            "start_date": "10/03/2025",
            "end_date": "20/03/2025",
            "days": "6",
        },
    )
    assert done.status_code == 303
    system()
    listing = text_of(client.get(done.location))
    assert "Convention corrigée." in listing and "Tenir le comptoir." in listing
    gone = client.post(file_url(site, path="/immersions/supprimer"), data={"convention": row.id})
    assert gone.status_code == 303
    system()
    assert "Convention supprimée." in text_of(client.get(gone.location))
    empty = client.get(file_url(site, path="/immersions/modifier"))
    assert empty.status_code == 200
    assert "Aucune convention d'immersion enregistrée." in text_of(empty)


def test_the_eti_cannot_correct_or_delete(ctx, client_for):
    site, _cip, _employee, _host = ctx
    row = _new(ctx)
    eti = client_for(site.member("eti"))
    assert (
        eti.get(file_url(site, path=f"/immersions/modifier?convention={row.id}")).status_code == 403
    )
    assert (
        eti.post(
            file_url(site, path="/immersions/supprimer"), data={"convention": row.id}
        ).status_code
        == 403
    )
    system()
    assert db.session.get(Immersion, row.id) is not None
