"""The public verification page, signed out: valid, revoked, unknown; rate-limited; it shows
the holder, the titre and competencies, the structure and the date — nothing else."""

from __future__ import annotations

from siae_app.services.attestations.signing import grouped
from tests.site import text_of


def test_valid_code_signed_out(world, client):
    a = world.a.attestation
    r = client.get(f"/verifier/{grouped(a.verification_code)}")
    assert r.status_code == 200
    page = text_of(r)
    assert "Attestation valide" in page
    assert world.a.employee.first_name in page
    assert "ACI Alpha" in page
    assert f"Savoir-être {world.a.slug}" in page
    for line in a.content["competencies"]:
        assert line["label"] in page
    assert r.headers["Cache-Control"] == "no-store"


def test_code_typed_loosely_is_found(world, client):
    code = world.a.attestation.verification_code
    r = client.get("/verifier", query_string={"code": f" {code[:5].lower()} {code[5:]} "})
    assert r.status_code == 303 and r.location.endswith(f"/verifier/{grouped(code)}")
    page = client.get(f"/verifier/{code.lower()}")
    assert page.status_code == 200
    assert "Attestation valide" in text_of(page) and world.a.employee.first_name in text_of(page)


def test_revoked_attestation_says_so(world, client, client_for):
    site = world.b  # the other structure: the lookup crosses structures
    director = client_for(site.member("director"))
    url = f"/s/{site.slug}/attestations/{site.attestation.id}/revoquer"
    assert director.post(url, data={"motif": "Délivrée par erreur"}).status_code == 303
    page = text_of(client.get(f"/verifier/{site.attestation.verification_code}"))
    assert "Attestation révoquée" in page and "Attestation valide" not in page
    assert "Délivrée par erreur" not in page  # the motif stays inside the structure


def test_unknown_code_is_a_french_404(world, client):
    r = client.get("/verifier/ABCDE-FGHJK-MNPQR")
    assert r.status_code == 404
    assert "Aucune attestation" in text_of(r)


def test_proposed_attestations_are_not_public(world, client, session):
    from tests import factories as f

    proposed = f.make_attestation(world.a.employee, world.a.member("eti"))
    proposed.verification_code = "PROPOSEDCODE234"  # never set before signing; even so
    session.commit()
    r = client.get("/verifier/PROPOSEDCODE234")
    assert r.status_code == 404 and "Aucune attestation" in text_of(r)
    assert "Attestation valide" not in text_of(r) and world.a.employee.first_name not in text_of(r)


def test_form_page_and_empty_code(client, world):
    assert "Code de vérification" in text_of(client.get("/verifier"))
    r = client.get("/verifier", query_string={"code": "  "})
    assert r.status_code == 422 and "Saisissez le code" in text_of(r)


def test_the_public_page_leaks_nothing_else(world, client, session):
    site = world.a
    employee = site.employee
    page = text_of(client.get(f"/verifier/{site.attestation.verification_code}"))
    hidden = [
        str(employee.id),
        str(site.attestation.id),
        str(site.structure.id),
        site.slug + "/",
        employee.email or "@",
        "Pas de permis",
        site.member("director").user.email,
        site.attestation.signer_name,
        "Acquis",  # levels stay in the document
        site.attestation.pdf_sha256,
        "Se déconnecter",
    ]
    for text in hidden:
        assert text not in page, text


def test_verification_is_rate_limited(world, client):
    statuses = [client.get("/verifier/ABCDE-FGHJK-MNPQR").status_code for _ in range(31)]
    assert statuses[-2] == 404 and statuses[-1] == 429
    # The form shares the limit: a guesser cannot switch URLs to go on.
    assert client.get("/verifier").status_code == 429
