"""« Aperçu du PDF » before « Valider »: the copies exactly as the final PDF prints them, marked
« Aperçu — non validé » on every page, without the validation; for whoever may validate the
bilan; nothing written but the access-log row; a validated bilan sends to its real PDF."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlalchemy import func, select

from siae_app.models import AccessLog, ChangeRecord, ReviewStatus
from siae_app.models.reviews import ReviewHighlight, ReviewParticipant
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.site import text_of
from tests.test_downloads import _boosted

MARK = "Aperçu — non validé"
FREIN = "Hepatoxyl"  # the words of a sensitive frein, looked for in the PDF text
# Every section heading the bilan's PDF may print (templates/pdf/review.html).
HEADINGS = (
    "Participants",
    "Présences sur la période",
    "Faits marquants retenus par l'équipe",
    "Évaluations des compétences",
    "Suites du bilan précédent",
    "Freins",
    "Formations et PMSMP",
    "Demande de prolongation du PASS IAE",
    "Regard de l'encadrant·e technique",
    "Synthèse de la CIP",
    "Paroles du salarié·e",
    "Décisions",
    "Éléments confidentiels",
    "Signatures",
)


def _pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _held_review(site, session, **kw):
    """A prolongation bilan held and not yet validated, with something in every section the
    team writes (participants, a highlight, the ETI's part, the synthesis…)."""
    employee = site.employee
    f.make_barrier(employee, site.member("cip"), "sante", comment=f"Traitement {FREIN} en cours")
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        kind="prolongation",
        status=ReviewStatus.HELD,
        cip_synthesis="Parcours régulier, projet de cariste précisé.",
        eti_part="Ponctuel, attentif aux consignes de sécurité.",
        employee_words="Je veux passer le CACES.",
        needs={"logement": "+"},
        requested_months=6,
        **kw,
    )
    review.participants.append(
        ReviewParticipant(
            structure_id=site.structure.id,
            name="Hugues Renaud",
            organisation="Mission locale du Val",
            role="Prescripteur",
        )
    )
    observation = ObservationFactory(
        structure_id=site.structure.id, employee_id=employee.id, text="Chariot rangé sans rappel"
    )
    session.add(
        ReviewHighlight(
            structure_id=site.structure.id, review_id=review.id, observation_id=observation.id
        )
    )
    session.commit()
    return review


def _history(session, review) -> int:
    return session.scalar(
        select(func.count()).select_from(ChangeRecord).where(ChangeRecord.entity_id == review.id)
    )


def test_the_preview_prints_the_final_copy_marked_as_a_draft_on_every_page(
    world, client_for, session
):
    site = world.a
    review = _held_review(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    cip = client_for(site.member("cip"))

    answer = cip.get(base + "/apercu?exemplaire=salarie")
    pages = _pages(answer)
    disposition = answer.headers["Content-Disposition"]
    assert 'filename="bilan-apercu-' in disposition and disposition.count(".pdf") == 2
    assert all(MARK in page for page in pages), pages
    preview = " ".join(pages)
    assert site.employee.display_name in preview
    assert "Non validé : aperçu du PDF" in preview and "Validé le" not in preview
    assert "Chariot rangé sans rappel" in preview and "Hugues Renaud" in preview
    assert FREIN not in preview  # the salarié's copy, as the final one

    # Validated, the real copy carries the same sections, the validation and no mark.
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    final = " ".join(_pages(cip.get(base + "/pdf?exemplaire=salarie")))
    assert MARK not in final and "Validé le" in final and "aperçu" not in final
    sections = [h for h in HEADINGS if h in final]
    assert len(sections) >= 9, sections
    assert [h for h in HEADINGS if h in preview] == sections


def test_the_file_copy_preview_is_logged_as_sensitive_and_writes_nothing_else(
    world, client_for, session
):
    site = world.a
    review = _held_review(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    session.expire_all()  # the stored values, as read back after the requests
    updated_at, history = review.updated_at, _history(session, review)
    cip = client_for(site.member("cip"))

    dossier = " ".join(_pages(cip.get(base + "/apercu?exemplaire=dossier")))
    assert FREIN in dossier and "Éléments confidentiels (exemplaire du dossier)" in dossier
    salarie = " ".join(_pages(cip.get(base + "/apercu?exemplaire=salarie")))
    assert FREIN not in salarie

    rows = session.scalars(select(AccessLog)).all()
    assert sorted((r.part, r.action, r.sensitive) for r in rows) == [
        ("reviews.preview", "download", False),
        ("reviews.preview", "download", True),
    ]
    assert {r.employee_id for r in rows} == {site.employee.id}
    session.expire_all()
    assert _history(session, review) == history
    assert review.updated_at == updated_at and review.status == ReviewStatus.HELD
    assert review.validated_at is None and review.validated_by_id is None
    log = text_of(
        client_for(site.member("director")).get(f"/s/{site.slug}/salaries/journal-des-acces")
    )
    assert "Bilans : aperçu du PDF avant validation (téléchargement)" in log


def test_only_who_may_validate_the_bilan_previews_it(world, client_for, session):
    site = world.a
    review = _held_review(site, session)
    url = f"/s/{site.slug}/bilans/{review.id}/apercu"
    assert MARK in _pages(client_for(site.member("coordinator")).get(url))[0]
    for role in ("eti", "director", "admin"):
        answer = client_for(site.member(role)).get(url)
        assert answer.status_code == 403, role
        assert "Accès refusé" in text_of(answer)
    assert session.scalars(select(AccessLog.part)).all() == ["reviews.preview"]


def test_another_structures_bilan_is_not_found(world, client_for, session):
    review = _held_review(world.b, session)
    path = f"bilans/{review.id}/apercu"
    answer = client_for(world.a.member("cip")).get(f"/s/{world.a.slug}/{path}")
    assert answer.status_code == 404 and "Page introuvable" in text_of(answer)
    assert session.scalars(select(AccessLog)).all() == []
    # Control: its own structure's CIP previews it.
    own = _pages(client_for(world.b.member("cip")).get(f"/s/{world.b.slug}/{path}"))
    assert MARK in own[0] and world.b.employee.display_name in " ".join(own)


def test_a_validated_bilan_sends_to_its_real_pdf(world, client_for, session):
    site = world.a
    review = _held_review(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    cip = client_for(site.member("cip"))
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    history = _history(session, review)

    answer = cip.get(base + "/apercu?exemplaire=dossier")
    assert answer.status_code == 303
    assert answer.location.endswith(f"{base}/pdf?exemplaire=dossier")
    assert session.scalars(select(AccessLog)).all() == []  # the real PDF's request logs it
    final = " ".join(_pages(cip.get(answer.location)))
    assert MARK not in final and FREIN in final
    assert _history(session, review) == history


def _preview_links(html: str) -> list:
    soup = BeautifulSoup(html, "html.parser")
    return [a for a in soup.find_all("a") if "/apercu" in (a.get("href") or "")]


def test_the_bilan_page_offers_the_preview_until_it_is_validated(world, client_for, session):
    site = world.a
    review = _held_review(site, session)
    base = f"/s/{site.slug}/bilans/{review.id}"
    cip = client_for(site.member("cip"))

    links = _preview_links(cip.get(base).get_data(as_text=True))
    assert [" ".join(a.get_text(" ").split()) for a in links] == [
        "Aperçu du PDF · Exemplaire du salarié",
        "Aperçu du PDF · Exemplaire du dossier",
    ]
    assert not any(_boosted(a) for a in links)  # a file to save, not a page for htmx
    for a in links:
        assert MARK in _pages(cip.get(a["href"]))[0]
    for role in ("eti", "director"):
        assert _preview_links(client_for(site.member(role)).get(base).get_data(as_text=True)) == []

    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    assert _preview_links(cip.get(base).get_data(as_text=True)) == []
