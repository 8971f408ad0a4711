"""Entretiens (services/interviews.py): reopening asks for a closed entretien and a motif, and
says so at the motif field."""

from __future__ import annotations

import pytest

from siae_app import tenancy
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
