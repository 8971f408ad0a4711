"""The public verification page's read (services/attestations/verification.py), as a fresh
request makes it: nothing of the structure is already loaded, so the attestation is found
only through the structure its code leads to."""

from __future__ import annotations

from flask_babel import format_date

from siae_app.services.attestations.signing import grouped
from tests.site import text_of


def test_a_code_is_verified_by_a_request_that_has_loaded_nothing(app, world, client, session):
    attestation = world.b.attestation  # the other structure: the lookup crosses structures
    code, signed_on = attestation.verification_code, attestation.signed_on
    session.expunge_all()  # as a new request: no object of either structure in memory
    r = client.get(f"/verifier/{code}")
    assert r.status_code == 200
    page = text_of(r)
    assert "Attestation valide" in page and "Recyclerie Bêta" in page
    with app.test_request_context():
        assert f"<dt>Signée le</dt><dd>{format_date(signed_on, 'd MMMM y')}</dd>" in page
    assert f"<dt>Code</dt><dd>{grouped(code)}</dd>" in page
