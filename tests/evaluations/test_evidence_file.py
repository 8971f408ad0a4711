"""The « dossier de preuves » for a VAE / RSFP jury: the candidates (never a sensitive
observation), the choice recorded (who, when), the PDF (title, table of contents whose page
numbers are the pages where the sections start, « Page X / Y » on every page, only the
chosen evidence), the roles and the other structure."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import EvidenceFile, EvidenceFileItem, Immersion, Observation
from siae_app.models.statuses import LearningStatus
from siae_app.services.certification import evidence as service
from tests import factories as f
from tests.evaluations.helpers import base, observation
from tests.evaluations.test_coverage import case  # noqa: F401 - the hand-built case
from tests.querycount import count_queries
from tests.site import text_of

HIDDEN = "Difficultés personnelles"
CHOSEN = "Porte ses gants et ses lunettes"
UNCHOSEN = "Range le matériel à sa place"


def _url(site, framework, suffix=""):
    return (
        f"{base(site)}/salaries/{site.employee.id}/dossier-preuves{suffix}"
        f"?referentiel={framework.id}"
    )


def _extras(site, comps):
    """A séance held, an immersion done, a training done (and one still to come)."""
    sid = site.structure.id
    seance = f.make_seance(site.member("eti"), site.employee, comps[0])
    seance.status = LearningStatus.HELD
    host = f.PartnerFactory(structure_id=sid, name="Jardinerie du Pont")
    start = date.today() - timedelta(days=40)
    db.session.add(
        Immersion(
            structure_id=sid,
            employee_id=site.employee.id,
            partner_id=host.id,
            object_kind="decouvrir",
            objectives="Découvrir la vente.",
            start_date=start,
            end_date=start + timedelta(days=5),
            days=5,
        )
    )
    f.ActionFactory(
        structure_id=sid,
        employee_id=site.employee.id,
        label="Formation SST",
        nature="formation",
        status="faite",
        due_date=date.today() - timedelta(days=20),
    )
    f.ActionFactory(
        structure_id=sid, employee_id=site.employee.id, label="CACES à venir", nature="formation"
    )
    db.session.commit()
    return seance


def _key(found, text):
    return next(e.key for e in found if e.detail == text or e.title == text)


def test_the_candidates_never_hold_a_sensitive_observation(case, session):  # noqa: F811
    site, framework, comps = case
    _extras(site, comps)
    found = service.candidates(session, site.employee, framework)
    # The re-tagged observation is a candidate as evidence on a validated line of CP 1.
    assert [e.detail for e in found.by_kind["observation"]] == [CHOSEN, UNCHOSEN]
    assert HIDDEN not in {e.detail for e in found}
    assert [e.title for e in found.by_kind["seance"]] == [comps[0].title]
    assert [e.title for e in found.by_kind["immersion"]] == ["Immersion chez Jardinerie du Pont"]
    assert [e.title for e in found.by_kind["training"]] == ["Formation SST"]


def test_the_page_lists_the_candidates_with_a_label_for_every_box(case, client_for):  # noqa: F811
    site, framework, comps = case
    _extras(site, comps)
    page = text_of(client_for(site.member("cip")).get(_url(site, framework)))
    assert "Dossier de preuves" in page and "Télécharger le PDF" in page
    assert CHOSEN in page and UNCHOSEN in page and HIDDEN not in page
    assert "Formation SST" in page and "CACES à venir" not in page
    assert page.count('type="checkbox"') == page.count('<label for="preuve-') == 5
    # No personal space yet: nothing to offer it in.
    assert "Proposer dans l'espace du salarié" not in page
    # The coverage page leads here.
    coverage = text_of(
        client_for(site.member("cip")).get(
            f"{base(site)}/salaries/{site.employee.id}/couverture?referentiel={framework.id}"
        )
    )
    assert "Dossier de preuves pour le jury" in coverage


def test_the_choice_is_recorded_with_who_and_when(case, client_for, session):  # noqa: F811
    site, framework, comps = case
    found = service.candidates(session, site.employee, framework)
    client = client_for(site.member("cip"))
    answer = client.post(_url(site, framework), data={"preuve": [_key(found, CHOSEN)]})
    assert answer.status_code == 303
    page = text_of(client.get(answer.location))
    assert "Choix enregistré : 1 preuve dans le dossier." in page
    saved = session.scalar(select(EvidenceFile).where(EvidenceFile.employee_id == site.employee.id))
    assert saved.chosen_by_id == site.member("cip").id and saved.chosen_at is not None
    assert saved.created_by_id == site.member("cip").id
    assert [(i.kind, i.object_id) for i in saved.items] == [
        ("observation", next(e.id for e in found if e.detail == CHOSEN))
    ]
    assert page.count(" checked") == 1


def test_a_sensitive_observation_posted_is_refused_and_the_choice_kept(case, client_for, session):  # noqa: F811
    site, framework, comps = case
    found = service.candidates(session, site.employee, framework)
    hidden = session.scalar(select(Observation).where(Observation.text == HIDDEN))
    client = client_for(site.member("cip"))
    data = {"preuve": [_key(found, CHOSEN), f"observation:{hidden.id}"]}
    answer = client.post(_url(site, framework), data=data)
    assert answer.status_code == 422
    page = text_of(answer)
    assert "ne peut pas figurer dans le dossier" in page and HIDDEN not in page
    assert page.count(" checked") == 1  # what was ticked comes back
    assert session.scalar(select(EvidenceFile.id)) is None  # nothing recorded
    assert client.post(_url(site, framework), data={"preuve": ["nimporte"]}).status_code == 422


def _pdf_pages(client, site, framework):
    answer = client.get(_url(site, framework, ".pdf"))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "attachment" in answer.headers["Content-Disposition"]
    return answer.data, [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(answer.data)).pages
    ]


def test_the_pdf_has_its_contents_page_numbers_and_only_the_chosen_evidence(
    case,  # noqa: F811
    client_for,
    session,
):
    site, framework, comps = case
    _extras(site, comps)
    found = service.candidates(session, site.employee, framework)
    keys = {(e.kind, e.id) for e in found if e.detail != UNCHOSEN}
    with tenancy.tenant_scope(session, site.structure.id):
        evidence_file = service.choose(session, site.employee, framework, site.member("cip"), keys)
        # Even if a sensitive observation were somehow chosen, it would not be printed.
        hidden = session.scalar(select(Observation).where(Observation.text == HIDDEN))
        evidence_file.items.append(
            EvidenceFileItem(
                structure_id=site.structure.id, kind="observation", object_id=hidden.id
            )
        )
    session.commit()
    client = client_for(site.member("cip"))
    _data, pages = _pdf_pages(client, site, framework)
    whole = " ".join(pages)
    assert pages[0].startswith(site.structure.name) or site.structure.name in pages[0]
    assert "Dossier de preuves" in pages[0] and "Sommaire" in pages[0]
    assert CHOSEN in whole and UNCHOSEN not in whole and HIDDEN not in whole
    assert "Formation SST" in whole and "Immersion chez Jardinerie du Pont" in whole
    assert "Tailler une haie" in whole  # the séance's work situation
    # Every page: « Page X / Y ».
    for number, text in enumerate(pages, 1):
        assert f"Page {number} / {len(pages)}" in text
    # The table of contents: each title followed by the page where its section starts.
    titles = [
        "Le parcours dans la structure",
        "AT 1 · Bloc 1 du chantier",
        "AT 2 · Bloc 2 du chantier",
        "AT 3 · Bloc 3 du chantier",
        service.KIND_TITLES["observation"],
        service.KIND_TITLES["seance"],
        service.KIND_TITLES["immersion"],
        service.KIND_TITLES["training"],
    ]
    toc = pages[0].split("Sommaire", 1)[1]
    for title in titles:
        after = toc.split(title, 1)[1].lstrip(". ")
        listed = int(after.split()[0])
        starts = next(n for n, text in enumerate(pages[1:], 2) if title in text)
        assert listed == starts, title
    # The levels, with the date and the evaluators.
    block_one = next(p for p in pages[1:] if "AT 1 · Bloc 1 du chantier" in p)
    assert "Acquis" in block_one and "Maîtrisé" in block_one
    assert site.member("cip").user.full_name in block_one
    assert "NIR" not in whole and site.employee.last_name.upper() in whole


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) is missing")
def test_the_first_page_renders_within_its_margins(case, client_for, session, tmp_path):  # noqa: F811
    site, framework, comps = case
    long = "Très long texte d'observation sans espace " + "x" * 300
    observation(site, site.member("eti"), comps[0], long)
    found = service.candidates(session, site.employee, framework)
    with tenancy.tenant_scope(session, site.structure.id):
        service.choose(session, site.employee, framework, site.member("cip"), found.keys)
    session.commit()
    data, pages = _pdf_pages(client_for(site.member("cip")), site, framework)
    (tmp_path / "d.pdf").write_bytes(data)
    for page in (1, len(pages)):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png", "-singlefile",
             str(tmp_path / "d.pdf"), str(tmp_path / f"p{page}")],
            check=True,
        )  # fmt: skip
        image = Image.open(tmp_path / f"p{page}.png").convert("L")
        width, height = image.size
        inked = image.point(lambda v: 255 if v < 200 else 0).getbbox()
        assert inked is not None, f"page {page} is blank"
        left, top, right, bottom = inked
        # A4 at 40 dpi is about 331 × 468 px; 18 mm side margins are about 28 px.
        margin = round(18 / 25.4 * 40) - 3
        assert left >= margin and right <= width - margin, (page, inked, image.size)
        assert top >= 4 and bottom <= height - 4


def test_the_queries_do_not_grow_with_the_observations(case, session):  # noqa: F811
    site, framework, comps = case

    def counts():
        found = service.candidates(session, site.employee, framework)
        with tenancy.tenant_scope(session, site.structure.id):
            chosen = service.choose(
                session, site.employee, framework, site.member("cip"), found.keys
            )
        session.commit()
        session.expire_all()
        employee = session.get(type(site.employee), site.employee.id)
        session.refresh(framework)
        with count_queries() as listing:
            service.candidates(session, employee, framework)
        chosen = session.get(EvidenceFile, chosen.id)
        with count_queries() as doc:
            document = service.document(session, employee, framework, chosen)
        return listing.count, doc.count, len(document.evidence.by_kind["observation"])

    one = counts()
    for n in range(4):
        observation(site, site.member("eti"), comps[n % 2], f"Observation n° {n}")
    five = counts()
    assert (one[2], five[2]) == (2, 6)
    assert one[:2] == five[:2]
    assert one[0] == 5  # observations, their competencies, séances, immersions, trainings


def test_roles_and_the_other_structure(world, case, client_for):  # noqa: F811
    site, framework, comps = case
    url = _url(site, framework)
    assert client_for(site.member("eti")).get(url).status_code == 403
    assert client_for(site.member("director")).get(url).status_code == 403
    assert client_for(site.member("coordinator")).get(url).status_code == 200
    # Another structure's salarié: not found.
    other = client_for(world.b.member("cip"))
    assert other.get(url.replace(f"/s/{site.slug}/", f"/s/{world.b.slug}/")).status_code == 404
    assert other.get(url.replace(".pdf", "")).status_code in (403, 404)


def test_offered_in_the_salaries_space_only_when_there_is_one(case, client_for, session):  # noqa: F811
    site, framework, comps = case
    from siae_app.services.personal_space import access as space_access

    client = client_for(site.member("cip"))
    client.post(_url(site, framework), data={})
    saved = session.scalar(select(EvidenceFile))
    answer = client.post(_url(site, framework, "/espace"), data={"proposer": "1"})
    assert answer.status_code == 303
    assert "pas d'espace personnel" in text_of(client.get(answer.location))
    session.refresh(saved)
    assert not saved.offered_in_space
    with tenancy.tenant_scope(session, site.structure.id):
        space_access.open_link(
            session, site.member("cip"), site.employee, site.structure, site.employee.entry_date
        )
    session.commit()
    page = text_of(client.get(_url(site, framework)))
    assert "Proposer dans l'espace du salarié" in page
    answer = client.post(_url(site, framework, "/espace"), data={"proposer": "1"})
    assert "Le dossier est proposé dans l'espace du salarié." in text_of(
        client.get(answer.location)
    )
    session.refresh(saved)
    assert saved.offered_in_space and saved.offered_by_id == site.member("cip").id
    offered_at = saved.offered_at
    assert offered_at is not None
    # The same form sent twice (a double tap) leaves it offered, since the first time.
    client.post(_url(site, framework, "/espace"), data={"proposer": "1"})
    session.refresh(saved)
    assert saved.offered_in_space and saved.offered_at == offered_at
    page = text_of(client.get(_url(site, framework)))
    assert 'name="proposer" value="0"' in page and "Ne plus proposer" in page
