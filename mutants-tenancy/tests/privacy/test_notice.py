"""The information notice handed at accueil: the direction's text (the default otherwise),
filled with the structure's identity and durations, printed to the salarié's name and dated
the day the accueil item says it was handed."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader

from siae_app.privacy import notice
from siae_app.privacy.registry import Rule
from siae_app.services.privacy import retention
from tests import factories as f
from tests.site import text_of

HANDED = date.today() - timedelta(days=3)


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_default_notice_names_the_structure_and_its_durations(world, client_for, session):
    site = world.a
    retention.lengthen(session, site.structure.id, Rule.ACCOMPANIMENT, 36, "FSE+", None)
    session.commit()
    page = text_of(client_for(site.member("director")).get(f"/s/{site.slug}/registre/notice"))
    assert "La structure utilise le modèle proposé." in page
    assert f"{site.structure.name} (" in page  # the preview, filled in
    assert "gardé 3 ans après notre dernier contact" in page
    assert "{structure}" in page  # the list of words replaced


def test_the_direction_writes_its_own_text_and_back_to_the_default(world, client_for, session):
    site = world.a
    direction = client_for(site.member("director"))
    url = f"/s/{site.slug}/registre/notice"
    r = direction.post(
        url, data={"text": "{structure} garde vos données {emploi}.\n\nContact : accueil."}
    )
    assert r.status_code == 303
    page = text_of(direction.get(r.location))
    assert "Notice enregistrée." in page and "La structure utilise son propre texte." in page
    assert f"{site.structure.name} garde vos données 5 ans." in page
    assert direction.post(url, data={"text": ""}).status_code == 303
    session.expire_all()
    assert site.structure.privacy_notice is None
    too_long = direction.post(url, data={"text": "x" * 12001})
    assert too_long.status_code == 422


def test_only_the_direction_edits_the_notice(world, client_for):
    site = world.a
    for role in ("cip", "coordinator", "eti"):
        assert (
            client_for(site.member(role)).get(f"/s/{site.slug}/registre/notice").status_code == 403
        )


def test_the_salaries_notice_is_dated_the_day_the_accueil_item_was_ticked(
    world, client_for, session
):
    site = world.a
    employee = site.employee
    checklist = f.make_checklist(employee)
    item = next(i for i in checklist.items if i.template_item.key == "notice_rgpd")
    url = f"/s/{site.slug}/accueil/{employee.id}/notice.pdf"
    cip = client_for(site.member("cip"))
    blank = _pdf_text(cip.get(url))
    assert "Vos données personnelles" in blank
    assert f"{employee.first_name} {employee.last_name.upper()}" in blank
    assert site.structure.name in blank and "www.cnil.fr" in blank
    assert "Notice remise le" in blank and not re.search(r"Notice remise le \d", blank)

    r = cip.post(
        f"/s/{site.slug}/accueil/elements/{item.id}",
        data={"done_on": HANDED.isoformat()},
    )
    assert r.status_code in (200, 303)
    dated = _pdf_text(cip.get(url))
    assert f"Notice remise le {HANDED:%d/%m/%Y}" in dated
    accueil = text_of(cip.get(f"/s/{site.slug}/accueil/{employee.id}"))
    assert f"Notice à remettre (PDF, datée du {HANDED:%d/%m/%Y})" in accueil


def test_the_notice_of_another_structures_salarie_is_not_found(world, client_for):
    url = f"/s/{world.a.slug}/accueil/{world.b.employee.id}/notice.pdf"
    assert client_for(world.a.member("cip")).get(url).status_code == 404


def test_fill_replaces_only_known_words():
    class S:
        name, address, siret = "ACI Test", None, None

    months = notice.default_months()
    out = notice.fill("{structure} {inconnu}\n\n{attestations}", S, months)
    assert out == ["ACI Test {inconnu}", "5 ans"]
