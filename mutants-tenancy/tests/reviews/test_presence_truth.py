"""A bilan never prints a false zero: a period without attendance marks says they were not
recorded, marks that start late say from which date, on the page and in the PDF."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from bs4 import BeautifulSoup
from pypdf import PdfReader

from siae_app.models import ReviewStatus
from siae_app.models.reviews import Review
from tests import factories as f
from tests.factories.attendance import AttendanceFactory
from tests.site import text_of


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _open_and_validate(site, client, session, employee) -> tuple[str, str, str]:
    """Open an intermediate bilan of ``employee``, validate it: (page, bilan URL, PDF text)."""
    r = client.post(f"/s/{site.slug}/bilans/salarie/{employee.id}", data={"kind": "intermediate"})
    assert r.status_code == 303, text_of(r)
    base = r.location.split("#")[0]
    page = " ".join(BeautifulSoup(text_of(client.get(base)), "html.parser").get_text(" ").split())
    review = session.get(Review, uuid.UUID(base.rstrip("/").rsplit("/", 1)[1]))
    synthesis = {"cip_synthesis": "Progression nette.", "renewal": "not_applicable"}
    assert client.post(base + "/synthese", data=synthesis).status_code == 303
    for step in (ReviewStatus.READY, ReviewStatus.HELD, ReviewStatus.VALIDATED):
        assert client.post(base + "/etape", data={"to": step}).status_code == 303
    session.refresh(review)
    assert review.status == ReviewStatus.VALIDATED
    return page, base, _pdf_text(client.get(base + "/pdf?exemplaire=salarie"))


def _salarie(site, name: str):
    return f.make_employee(site.structure.id, site.team, site.member("cip"), last_name=name)


def _mark(employee, days, hours="6.50"):
    for day in days:
        AttendanceFactory(
            structure_id=employee.structure_id,
            employee_id=employee.id,
            day=day,
            hours_worked=Decimal(hours),
        )


def _weekdays(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5]


def test_no_marks_under_contract_is_not_a_zero(world, client_for, session):
    site = world.a
    employee = _salarie(site, "Sansrelevé")
    page, _, pdf = _open_and_validate(site, client_for(site.member("cip")), session, employee)
    for text in (page, pdf):
        assert "Présences non relevées dans l'application sur cette période" in text
        assert "aucun jour dû" not in text
        assert "0,00 h" not in text and "0 h" not in text
        assert "Jours de présence" not in text


def test_marks_from_a_date_say_from_when(world, client_for, session):
    site = world.a
    employee = _salarie(site, "Tardif")
    today = date.today()
    days = _weekdays(today - timedelta(days=30), today - timedelta(days=1))
    _mark(employee, days)
    session.commit()
    page, _, pdf = _open_and_validate(site, client_for(site.member("cip")), session, employee)
    first = days[0]
    first_fr = f"{'1er' if first.day == 1 else first.day} "
    hours = f"{Decimal('6.5') * len(days):f}".rstrip("0").rstrip(".").replace(".", ",")
    for text in (page, pdf):
        assert f"Présences relevées dans l'application depuis le {first_fr}" in text
        assert "Heures travaillées (jours relevés)" in text and f"{hours} h" in text
        assert f"Jours de présence (jours relevés) {len(days)}" in text


def test_marks_covering_the_period_give_plain_figures(world, client_for, session):
    site = world.a
    employee = _salarie(site, "Complet")
    today = date.today()
    [contract] = employee.contracts
    contract.start_date = employee.entry_date = today - timedelta(days=30)
    days = _weekdays(contract.start_date, today - timedelta(days=1))
    # One day left unmarked, a Wednesday inside the period: its week still has marks (the
    # first day could be a Friday alone in its week, and the test would depend on the date).
    gap = next(d for d in days[5:] if d.weekday() == 2)
    _mark(employee, [d for d in days if d != gap])
    session.commit()
    page, _, pdf = _open_and_validate(site, client_for(site.member("cip")), session, employee)
    for text in (page, pdf):
        assert "relevé" not in text.split("Présences sur la période")[1][:400]
        assert "Taux d'assiduité" in text and "100 %" in text
