"""Two people writing the same part of a bilan: a save never replaces, unseen, a text someone
else saved after the page was shown; what was typed stays on the form."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests import factories as f
from tests.site import text_of


def _seen(html: str, name: str) -> str:
    return BeautifulSoup(html, "html.parser").find("input", attrs={"name": name})["value"]


def _draft(site):
    """A bilan being written (the world's is validated)."""
    review = f.ReviewFactory(structure_id=site.structure.id, employee_id=site.employee.id)
    return review, f"/s/{site.slug}/bilans/{review.id}"


def _textarea(html: str, name: str) -> str:
    return BeautifulSoup(html, "html.parser").find("textarea", attrs={"name": name}).text.strip()


def test_an_eti_part_saved_meanwhile_is_not_overwritten_and_the_typed_text_stays(
    world, client_for, session
):
    site = world.a
    review, url = _draft(site)
    eti, coordinator = client_for(site.member("eti")), client_for(site.member("coordinator"))
    shown_to_eti = _seen(eti.get(url).get_data(as_text=True), "eti_part_seen")
    shown_to_other = _seen(coordinator.get(url).get_data(as_text=True), "eti_part_seen")
    sent = {"eti_part": "Range le matériel sans rappel.", "eti_part_seen": shown_to_other}
    assert coordinator.post(url + "/eti", data=sent).status_code == 303

    r = eti.post(
        url + "/eti", data={"eti_part": "Autonome à la tondeuse.", "eti_part_seen": shown_to_eti}
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Quelqu'un a modifié ce texte pendant que vous écriviez" in text_of(r)
    assert "Range le matériel sans rappel." in text_of(r)  # the other version is quoted
    assert _textarea(html, "eti_part") == "Autonome à la tondeuse."  # nothing typed is lost
    session.refresh(review)
    assert review.eti_part == "Range le matériel sans rappel."

    # Sending again from the refused form is a deliberate choice: it saves.
    again = {"eti_part": "Autonome à la tondeuse.", "eti_part_seen": _seen(html, "eti_part_seen")}
    assert eti.post(url + "/eti", data=again).status_code == 303
    session.refresh(review)
    assert review.eti_part == "Autonome à la tondeuse."


def test_saving_from_an_up_to_date_page_or_the_same_text_is_no_conflict(world, client_for, session):
    site = world.a
    review, url = _draft(site)
    cip, coordinator = client_for(site.member("cip")), client_for(site.member("coordinator"))
    old = _seen(cip.get(url).get_data(as_text=True), "cip_synthesis_seen")
    fresh = {"cip_synthesis": "Parcours régulier.", "cip_synthesis_seen": old}
    assert coordinator.post(url + "/synthese", data=fresh).status_code == 303
    # The CIP had typed the very same words: nothing to reconcile.
    assert cip.post(url + "/synthese", data=fresh).status_code == 303
    # From the page as it is now, a change saves.
    now = _seen(cip.get(url).get_data(as_text=True), "cip_synthesis_seen")
    changed = {"cip_synthesis": "Parcours régulier, absences en baisse.", "cip_synthesis_seen": now}
    assert cip.post(url + "/synthese", data=changed).status_code == 303
    # The coordinator's page is now stale on the synthesis: refused, on that field only.
    r = coordinator.post(
        url + "/synthese", data={"cip_synthesis": "Autre", "cip_synthesis_seen": old}
    )
    assert r.status_code == 422 and "absences en baisse" in text_of(r)
    session.refresh(review)
    assert review.cip_synthesis == "Parcours régulier, absences en baisse."
