"""The public verification code at its limits: the whole code verifies (however it is typed),
a code one character short or long does not, nor any prefix of a real code."""

from __future__ import annotations

import pytest

from siae_app.services.attestations.signing import CODE_LENGTH, grouped
from tests.site import text_of


def _valid(page: str) -> bool:
    return "Attestation valide" in page


@pytest.mark.parametrize("site_key", ["a", "b"])
def test_the_whole_code_verifies(world, client, site_key):
    code = getattr(world, site_key).attestation.verification_code
    assert len(code) == CODE_LENGTH
    for typed in (code, grouped(code), code.lower(), f"  {code[:7]} {code[7:]} "):
        r = client.get(f"/verifier/{typed}")
        assert r.status_code == 200 and _valid(text_of(r)), typed


@pytest.mark.parametrize(
    "cut",
    [
        lambda c: c[:-1],  # 14 characters: a prefix one short
        lambda c: c[:10],
        lambda c: c[:5],
        lambda c: c[:1],
        lambda c: c[1:],  # a suffix
        lambda c: c + "A",  # 16 characters
        lambda c: c[:-1] + ("B" if c[-1] != "B" else "C"),  # last character changed
        lambda c: c + "X" * 17,  # 32 characters kept by normalize
        lambda c: grouped(c[:-1]),
    ],
    ids=["14", "10", "5", "1", "suffixe", "16", "dernier-change", "32", "groupe-14"],
)
def test_a_near_code_does_not_verify(world, client, cut):
    code = world.a.attestation.verification_code
    typed = cut(code)
    r = client.get(f"/verifier/{typed}")
    page = text_of(r)
    assert r.status_code == 404, typed
    assert "Aucune attestation" in page and not _valid(page)
    assert world.a.employee.last_name not in page


def test_the_typed_form_redirects_only_to_the_normalized_code(world, client):
    code = world.a.attestation.verification_code
    r = client.get("/verifier", query_string={"code": code[:-1].lower()})
    assert r.status_code == 303 and r.location.endswith(f"/verifier/{grouped(code[:-1])}")
    assert client.get(r.location).status_code == 404
