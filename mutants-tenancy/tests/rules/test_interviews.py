"""Entretiens (services/interviews.py): reopening asks for a closed entretien and a motif, and
says so at the motif field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import ChangeRecord
from siae_app.services import ServiceError, interviews


@pytest.fixture
def interview(world, session):
    return world.a.followup["interview"]


def _reopen(session, interview, membership, motif):
    with tenancy.tenant_scope(session, interview.structure_id):
        return interviews.reopen(session, interview, membership=membership, motif=motif)


def test_an_open_entretien_cannot_be_reopened(world, session, interview):
    with pytest.raises(ServiceError) as refused:
        _reopen(session, interview, world.a.member("cip"), "Oubli")
    assert (refused.value.message, refused.value.field) == (
        "Cet entretien n'est pas clôturé.",
        "motif",
    )


def test_reopening_a_closed_entretien_needs_a_motif(world, session, interview):
    cip = world.a.member("cip")
    with tenancy.tenant_scope(session, interview.structure_id):
        interviews.close(session, interview, membership=cip)
    with pytest.raises(ServiceError) as refused:
        _reopen(session, interview, cip, "   ")
    assert (refused.value.message, refused.value.field) == (
        "Indiquez le motif de la réouverture.",
        "motif",
    )
    assert interview.is_closed
    _reopen(session, interview, cip, "Compte rendu incomplet")
    assert not interview.is_closed


def test_closing_is_recorded_with_its_author_and_happens_once(world, session, interview):
    cip = world.a.member("cip")
    with tenancy.tenant_scope(session, interview.structure_id):
        interviews.close(session, interview, membership=cip)
        with pytest.raises(ServiceError) as refused:
            interviews.close(session, interview, membership=cip)
    assert refused.value.message == "Cet entretien est déjà clôturé."
    line = session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == interview.id, ChangeRecord.field == "clôture"
        )
    )
    assert (line.entity, line.membership_id) == ("entretien", cip.id) and line.new_value


def _save(session, world, interview=None, **fields):
    values = {
        "held_on": date(2026, 3, 5),
        "kind": "suivi",
        "summary": "Point sur le parcours.",
        "next_on": None,
    } | fields
    with tenancy.tenant_scope(session, world.a.structure.id):
        return interviews.save_interview(
            session,
            interview,
            employee=world.a.employee,
            membership=world.a.member("cip"),
            **values,
        )


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"kind": "apero"}, "Type d'entretien inconnu.", "kind"),
        (
            {"next_on": date(2026, 3, 5)},
            "Le prochain rendez-vous doit être après la date de l'entretien.",
            "next_on",
        ),
    ],
)
def test_a_refused_entretien_names_its_field(world, session, fields, message, field):
    with pytest.raises(ServiceError) as refused:
        _save(session, world, **fields)
    assert (refused.value.message, refused.value.field) == (message, field)


def test_an_entretien_is_saved_with_its_author_and_an_empty_summary_is_none(world, session):
    saved = _save(session, world, summary="", next_on=date(2026, 3, 6))
    assert saved.summary is None and saved.next_on == date(2026, 3, 6)
    assert (saved.author_id, saved.employee_id) == (world.a.member("cip").id, world.a.employee.id)


def test_an_entretien_saved_from_an_older_page_is_refused(world, session, interview):
    stale = interview.version_id - 1
    with pytest.raises(ServiceError) as refused:
        _save(session, world, interview, summary="Autre compte rendu", expected_version=stale)
    assert refused.value.field == "version_id"
    assert interview.summary != "Autre compte rendu"


def test_a_closed_entretien_refuses_a_save_at_its_summary(world, session, interview):
    with tenancy.tenant_scope(session, interview.structure_id):
        interviews.close(session, interview, membership=world.a.member("cip"))
    with pytest.raises(ServiceError) as refused:
        _save(session, world, interview, summary="Ajout après clôture")
    assert (refused.value.message, refused.value.field) == (interviews.LOCKED, "summary")
