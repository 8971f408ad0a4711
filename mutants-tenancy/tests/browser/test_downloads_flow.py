"""On a phone, a download link saves a file and leaves the page as it was (htmx does not
boost it into the page): the month's hours (CSV, Excel) and an attestation's PDF."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_foundation_flow import sign_in


def _download(page, name: str):
    with page.expect_download() as download:
        page.get_by_role("link", name=name).first.click()
    return download.value


def test_the_month_s_hours_and_a_pdf_are_saved_as_files(page, live_server):
    sign_in(page, live_server, "coordination.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/grille")
    grid = page.url

    csv_file = _download(page, "Heures travaillées du mois (CSV)")
    assert csv_file.suggested_filename.endswith(".csv")
    header = Path(csv_file.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Nom;Prénom;Équipe") or header.startswith("Nom,Prénom,Équipe")
    xlsx_file = _download(page, "Heures travaillées du mois (Excel)")
    assert xlsx_file.suggested_filename.endswith(".xlsx")
    assert Path(xlsx_file.path()).read_bytes()[:2] == b"PK"
    assert page.url == grid
    expect(page.get_by_role("heading", name="Total de la structure")).to_be_visible()

    page.goto(f"{live_server}/s/jardins-du-val/attestations/")
    page.locator(".card a").first.click()
    expect(page).to_have_url(re.compile(r"/attestations/[0-9a-f-]{36}$"))
    sheet = page.url
    pdf = _download(page, "PDF")
    assert pdf.suggested_filename.endswith(".pdf")
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"
    assert page.url == sheet
    assert page.console_errors == []
