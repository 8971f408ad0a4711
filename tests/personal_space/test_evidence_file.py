"""« Mon espace »: a dossier de preuves the CIP offered is listed in « Mes documents » and
downloaded by the salarié (the download is in the access log); one not offered, or taken
back, is neither listed nor found."""

from __future__ import annotations

import io

from pypdf import PdfReader

from siae_app.models import EvidenceFile
from tests.personal_space.test_access import _enter, _own_rows, _with_code
from tests.site import text_of


def _staff(site, tail=""):
    return (
        f"/s/{site.slug}/evaluations/salaries/{site.employee.id}/dossier-preuves{tail}"
        f"?referentiel={site.framework.id}"
    )


def test_an_offered_file_is_listed_and_downloaded_in_the_space(world, client_for, client, session):
    site = world.a
    cip = client_for(site.member("cip"))
    secret = _with_code(cip, site, site.employee)
    assert cip.post(_staff(site), data={}).status_code == 303  # the choice: nothing yet
    [found] = session.query(EvidenceFile).all()
    assert _enter(client, secret).status_code == 303
    title = f"Dossier de preuves — {site.framework.title}"
    url = f"/mon-espace/documents/dossiers/{found.id}.pdf"
    assert title not in text_of(client.get("/mon-espace/documents"))  # not offered yet
    assert client.get(url).status_code == 404

    assert cip.post(_staff(site, "/espace"), data={"proposer": "1"}).status_code == 303
    page = text_of(client.get("/mon-espace/documents"))
    assert "Mes dossiers de preuves" in page and title in page
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(answer.data)).pages[0].extract_text().split())
    assert "Dossier de preuves" in text and site.framework.title in text
    assert "espace.dossier_preuves" in _own_rows(session, site.employee)

    taken_back = cip.post(_staff(site, "/espace"), data={"proposer": "0"})
    assert taken_back.status_code == 303
    assert title not in text_of(client.get("/mon-espace/documents"))
    assert client.get(url).status_code == 404
