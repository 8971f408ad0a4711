"""What the PDF copies carry: never a sensitive item outside the one the CIP includes."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from siae_app.models import AccessLog, ChangeRecord, ReviewStatus
from siae_app.models.reviews import ReviewDisclosure, ReviewHighlight
from tests import factories as f
from tests.factories.observations import ObservationFactory

FREIN = "Hepatoxyl"  # words of each sensitive item, looked for in the PDF text
NOTE = "Curatellex"
OBSERVATION = "Insomniax"
PLAIN = "Ponctualite exemplaire"


def _text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(page.extract_text() for page in reader.pages)


def _review_with_sensitive_items(site, session):
    cip = site.member("cip")
    employee = site.employee
    f.make_barrier(employee, cip, "sante", comment=f"Traitement {FREIN} en cours")
    f.make_note(employee, cip, f"Mesure de {NOTE} demandée", confidential=True)
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        kind="prolongation",
        status=ReviewStatus.HELD,
        cip_synthesis="Parcours régulier.",
        needs={"sante": "--", "logement": "+"},
        requested_months=6,
    )
    for text, sensitive in ((f"Fatigue et {OBSERVATION}", True), (PLAIN, False)):
        obs = ObservationFactory(
            structure_id=site.structure.id, employee_id=employee.id, text=text, sensitive=sensitive
        )
        session.add(
            ReviewHighlight(
                structure_id=site.structure.id, review_id=review.id, observation_id=obs.id
            )
        )
    session.commit()
    return review


def test_no_copy_carries_sensitive_content_until_the_cip_includes_one_item(
    world, client_for, session
):
    site = world.a
    review = _review_with_sensitive_items(site, session)
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    salarie = _text(cip.get(base + "/pdf?exemplaire=salarie"))
    assert PLAIN in salarie and "Logement" in salarie
    for word in (FREIN, NOTE, OBSERVATION, "Santé"):
        assert word not in salarie
    direction_file = _text(
        client_for(site.member("director")).get(base + "/pdf?exemplaire=dossier")
    )
    for word in (FREIN, NOTE, OBSERVATION, "Santé"):
        assert word not in direction_file
    cip_file = _text(cip.get(base + "/pdf?exemplaire=dossier"))
    assert FREIN in cip_file and NOTE in cip_file and "Santé" in cip_file
    assert OBSERVATION not in cip_file  # a highlight is never a sensitive observation

    # Reopen, include the sensitive need only, validate again.
    assert cip.post(base + "/rouvrir", data={"motif": "Ajout du besoin santé"}).status_code == 303
    assert cip.post(base + "/inclure", data={"item": "need:sante"}).status_code == 303
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    salarie = _text(cip.get(base + "/pdf?exemplaire=salarie"))
    assert "Santé" in salarie and "inclus par" in salarie
    for word in (FREIN, NOTE, OBSERVATION):
        assert word not in salarie
    disclosure = session.scalar(
        select(ReviewDisclosure).where(ReviewDisclosure.review_id == review.id)
    )
    assert disclosure.need_key == "sante"
    assert disclosure.included_by_id == site.member("cip").id
    # The history names the item as the page did, among its sensitive lines.
    line = session.scalar(
        select(ChangeRecord).where(
            ChangeRecord.entity_id == review.id,
            ChangeRecord.field == "inclusion d'un élément confidentiel",
        )
    )
    assert line.new_value == "Besoin — Santé" and line.sensitive


def test_downloading_a_copy_that_carries_an_included_item_is_logged(world, client_for, session):
    site = world.a
    review = _review_with_sensitive_items(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    cip = client_for(site.member("cip"))
    director = client_for(site.member("director"))
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    _text(director.get(base + "/pdf?exemplaire=salarie"))
    assert _sensitive_reads(session) == []  # nothing sensitive in it yet
    assert cip.post(base + "/rouvrir", data={"motif": "Ajout du besoin santé"}).status_code == 303
    assert cip.post(base + "/inclure", data={"item": "need:sante"}).status_code == 303
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    assert "Santé" in _text(director.get(base + "/pdf?exemplaire=salarie"))
    assert _sensitive_reads(session) == [site.member("director").id]
    _text(cip.get(base + "/pdf?exemplaire=dossier"))  # every sensitive item of the salarié
    readers = _sensitive_reads(session)
    assert sorted(readers) == sorted([site.member("director").id, site.member("cip").id])


def _sensitive_reads(session) -> list:
    stmt = select(AccessLog.membership_id).where(
        AccessLog.part == "reviews.pdf",
        AccessLog.action == "download",
        AccessLog.sensitive.is_(True),
    )
    return list(session.scalars(stmt))


def test_only_the_cip_includes_a_sensitive_item(world, client_for, session):
    site = world.a
    review = _review_with_sensitive_items(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    for role in ("coordinator", "eti", "director"):
        r = client_for(site.member(role)).post(base + "/inclure", data={"item": "need:sante"})
        assert r.status_code == 403
    r = client_for(site.member("cip")).post(base + "/inclure", data={"item": "need:inconnu"})
    assert r.status_code == 303
    assert session.scalar(select(ReviewDisclosure.id)) is None


def test_sensitive_items_render_only_inside_data_sensitive(world, client_for, session):
    from tests.diagnostic.helpers import inside_sensitive, outside_sensitive

    site = world.a
    review = _review_with_sensitive_items(site, session)
    url = f"/s/{site.slug}/bilans/{review.id}"
    html = client_for(site.member("cip")).get(url).get_data(as_text=True)
    assert FREIN in inside_sensitive(html) and NOTE in inside_sensitive(html)
    outside = outside_sensitive(html)
    for word in (FREIN, NOTE, OBSERVATION):
        assert word not in outside
    for role in ("eti", "director"):
        html = client_for(site.member(role)).get(url).get_data(as_text=True)
        for word in (FREIN, NOTE, OBSERVATION):
            assert word not in html
