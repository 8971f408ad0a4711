"""The public page states its verdict as a seal: a heading that says it, a drawn mark whose
shape differs (not colour alone), announced as a status; no external asset."""

from __future__ import annotations

from bs4 import BeautifulSoup

from siae_app.services.attestations.signing import grouped


def _seal(response):
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    [seal] = page.select(".seal")
    assert seal.get("role") == "status"
    mark = seal.find("svg")
    assert mark is not None and mark.get("aria-hidden") == "true"
    assert not mark.find_all(attrs={"href": True}) and not page.select(".seal img")
    return seal, " ".join(seal.find("h2").get_text().split()), mark


def test_each_verdict_has_its_own_seal(world, client, client_for):
    valid = client.get(f"/verifier/{grouped(world.a.attestation.verification_code)}")
    seal, heading, valid_mark = _seal(valid)
    assert "seal-valid" in seal["class"] and heading == "Attestation valide"

    site = world.b
    url = f"/s/{site.slug}/attestations/{site.attestation.id}/revoquer"
    director = client_for(site.member("director"))
    assert director.post(url, data={"motif": "Erreur"}).status_code == 303
    revoked = client.get(f"/verifier/{site.attestation.verification_code}")
    seal, heading, revoked_mark = _seal(revoked)
    assert "seal-revoked" in seal["class"] and heading == "Attestation révoquée"
    assert "n'est plus valable" in seal.get_text()

    unknown = client.get("/verifier/ABCDE-FGHJK-MNPQR")
    assert unknown.status_code == 404
    seal, heading, unknown_mark = _seal(unknown)
    assert "seal-unknown" in seal["class"] and heading == "Aucune attestation pour ce code"
    assert "ABCDE-FGHJK-MNPQR" in seal.get_text()
    # Three different shapes, so the verdict does not rest on colour.
    marks = (valid_mark, revoked_mark, unknown_mark)
    shapes = {str(m.find_all(["path", "circle"])[-1]) for m in marks}
    assert len(shapes) == 3
