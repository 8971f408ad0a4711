"""The information notice handed to a salarié, as a PDF (the accueil's copy and the one in
the salarié's own space are the same document)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from siae_app.models import Employee, Structure
from siae_app.privacy import notice
from siae_app.services import onboarding, structure_identity
from siae_app.services.pdf import render_pdf
from siae_app.services.privacy import retention

# The accueil item that says the notice was handed (and when).
NOTICE_ITEM = "notice_rgpd"  # the accueil item of the default checklist


def render(session: Session, structure: Structure, employee: Employee) -> bytes:
    """Dated the day the accueil item says it was handed (blank to fill in by hand while it
    is not ticked)."""
    text = structure.privacy_notice or notice.DEFAULT_NOTICE
    months = {r: d.months for r, d in retention.durations(session, structure.id).items()}
    return render_pdf(
        "pdf/notice.html",
        structure=structure,
        identity=structure,
        logo_url=structure_identity.logo_url(structure),
        title=f"Notice d'information — {employee.first_name} {employee.last_name.upper()}",
        employee=employee,
        handed=onboarding.done_on(session, employee, NOTICE_ITEM),
        paragraphs=notice.fill(text, structure, months),
    )


def file_name(employee: Employee) -> str:
    return f"Notice d'information - {employee.last_name} {employee.first_name}"
