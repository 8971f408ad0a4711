"""The « dossier de preuves » as a PDF (WeasyPrint, ``pdf/evidence_file.html``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from siae_app.models import Employee, EvidenceFile, Framework, Structure
from siae_app.services import pdf as pdf_service
from siae_app.services import structure_identity
from siae_app.services.certification import evidence


def render(
    session: Session,
    employee: Employee,
    framework: Framework,
    evidence_file: EvidenceFile | None,
) -> bytes:
    doc = evidence.document(session, employee, framework, evidence_file)
    structure = session.get(Structure, employee.structure_id)
    return pdf_service.render_pdf(
        "pdf/evidence_file.html",
        title=doc.title,
        doc=doc,
        structure=structure,
        identity=doc.structure,
        logo_url=structure_identity.logo_url(structure),
        kind_titles=evidence.KIND_TITLES,
        kinds=evidence.KINDS,
    )
