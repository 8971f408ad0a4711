"""The annual report job: builds a frozen copy (figures, XLSX, PDF) in its structure's scope."""

from __future__ import annotations

import logging
import uuid

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.jobs import flask_context
from siae_app.models import AnnualReport, Structure
from siae_app.services.funding import report as report_service

log = logging.getLogger(__name__)


def render_pdf(report: AnnualReport, structure: Structure) -> bytes:
    from siae_app.services import pdf, structure_identity

    return pdf.render_pdf(
        "pdf/annual_report.html",
        report=report,
        data=report.figures,
        structure=structure,
        logo_url=structure_identity.logo_url(structure),
        key_figures=report_service.key_figures(report.figures),
        breakdowns=report_service.breakdowns(report.figures),
        followups=report_service.followups(report.figures),
        title=f"Rapport annuel {report.year} — {structure.name}",
    )


def build_report(structure_id: str, report_id: str, *, inline: bool = False) -> None:
    """Progress is committed after each step on the queue, so the page's bar moves; inline
    (inside the request that asked for it) the request commits once."""
    with flask_context():
        session = db.session
        with tenancy.tenant_scope(session, uuid.UUID(structure_id)):
            report = session.get(AnnualReport, uuid.UUID(report_id))
            structure = session.get(Structure, uuid.UUID(structure_id))
            if report is None or structure is None:
                return
            commit = None if inline else session.commit
            try:
                report_service.build(session, report, structure, render_pdf, on_progress=commit)
            except Exception:
                log.exception("Rapport annuel %s en échec", report_id)
                if not inline:
                    session.rollback()
                report_service.fail(session, report)
            if not inline:
                session.commit()
        if not inline:
            session.remove()
