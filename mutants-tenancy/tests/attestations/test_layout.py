"""The signed attestation looks finished: one A4 page with the signature, the QR code and the
code together; no internal scale name; each competency with its framework's code and
version; French elisions; no repeated words."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from siae_app.models.attestations import Attestation
from siae_app.models.frameworks import Framework
from tests import factories as f


def test_signed_attestation_is_one_finished_page(world, client_for, base, session):
    site = world.a
    ours = select(Framework).where(Framework.structure_id == site.structure.id)
    framework = session.scalar(ours.order_by(Framework.title))
    framework.code, framework.acronym = "TP-00461", "ETI"
    site.team.name = "Équipe Nord"
    session.commit()
    f.make_validated_assessment(site.employee, site.member("eti"), site.member("cip"))
    attestation = f.make_attestation(site.employee, site.member("eti"))
    data = {"signer_name": "Claire Direction", "signed_on": date.today().isoformat(),
            "signed_place": "Villeurbanne"}  # fmt: skip
    director = client_for(site.member("director"))
    assert director.post(f"{base}/{attestation.id}/signer", data=data).status_code == 303

    pdf = session.scalar(select(Attestation.pdf).where(Attestation.id == attestation.id))
    [page] = PdfReader(io.BytesIO(pdf)).pages  # one page: signature, QR and code together
    text = " ".join(page.extract_text().split())
    assert len(page.images) == 1  # the QR code
    assert "Claire Direction" in text and "Code de vérification" in text
    assert "Pour la direction d'ACI Alpha" in text and "de ACI" not in text
    assert "Échelle par défaut" not in text
    assert "TP-00461 (ETI) · version 1" in text
    assert "équipe Équipe" not in text and "Équipe Nord" in text
