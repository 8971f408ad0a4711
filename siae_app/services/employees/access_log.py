"""Journal des accès: who opened which part of whose file, when, and whether sensitive
content was shown. Never the data itself. Kept one year, then purged by
``flask rgpd purge-access-log``.

Rows of a salarié's pages are written by ``siae_app.access_trail`` for every page, fragment and
download; this module writes them and reads them back with their French labels.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import AccessLog, Employee, Membership, Structure

# The parts written before every page was logged (kept readable for their year).
PART_LABELS = {
    "fiche": "Fiche du salarié",
    "fiche_sensible": "Fiche du salarié (avec données sensibles)",
    "historique": "Historique des modifications",
    "export": "Export de la liste des salariés",
    "sensible": "Diagnostic : données sensibles",
}
# A page's part is its endpoint ("reviews.pdf"): named by its feature, or by itself where the
# feature's name would not say what was seen.
FEATURE_LABELS = {
    "employees": "Fiche du salarié",
    "onboarding": "Accueil",
    "diagnostic": "Diagnostic (atouts, freins, notes)",
    "actions": "Actions",
    "interviews": "Entretiens",
    "observations": "Observations",
    "attendance": "Présences",
    "urgent": "Situations urgentes",
    "evaluations": "Évaluations",
    "reviews": "Bilans",
    "attestations": "Attestations",
    "alerts": "Alertes",
    "funding": "Heures payées (suivi mensuel)",
    "espace": "Son espace",
}
PAGE_LABELS = {
    "employees.history_page": "Historique des modifications",
    "diagnostic.barrier": "Diagnostic : un frein",
    "diagnostic.objective": "Diagnostic : un objectif",
    "observations.competency": "Compétence du salarié (niveaux, observations)",
    "evaluations.seance": "Séance d'apprentissage",
    "evaluations.evidence_file": "Dossier de preuves (choix des preuves)",
    "evaluations.choose_evidence": "Dossier de preuves (choix des preuves)",
    "evaluations.offer_evidence_file": "Dossier de preuves (proposé dans son espace)",
    "evaluations.evidence_file_pdf": "Dossier de preuves (PDF)",
    "reviews.preview": "Bilans : aperçu du PDF avant validation",
    "employees.subject_access_page": "Données détenues (page)",
    "employees.subject_access_pdf": "Données détenues (PDF)",
    "employees.subject_access_json": "Données détenues (JSON)",
    # Written by the salarié's own space (no member of the team: membership_id is empty).
    "espace.ouverture": "Son espace : ouvert avec le code",
    "espace.code_refuse": "Son espace : code refusé",
    "espace.verrou": "Son espace : lien bloqué après trop d'essais",
    "espace.bilan": "Son espace : un bilan",
    "espace.attestation": "Son espace : une attestation",
    "espace.dossier_preuves": "Son espace : un dossier de preuves",
    "espace.notice": "Son espace : la notice d'information",
    "espace.demande": "Son espace : une demande sur ses données",
    "espace.auto_evaluation": "Son espace : ses réponses à une auto-évaluation",
}
ACTION_LABELS = {"view": "", "download": " (téléchargement)"}
RETENTION_DAYS = 365
PAGE_SIZE = 100


def record_view(
    session: Session,
    membership: Membership,
    employee: Employee | uuid.UUID | None,
    part: str,
    *,
    sensitive: bool = False,
    action: str = "view",
) -> AccessLog:
    employee_id = employee.id if isinstance(employee, Employee) else employee
    entry = AccessLog(
        membership_id=membership.id,
        employee_id=employee_id,
        part=part,
        action=action,
        sensitive=sensitive,
    )
    session.add(entry)
    session.flush()
    return entry


def record_own_view(
    session: Session, employee: Employee, part: str, *, action: str = "view"
) -> AccessLog:
    """What the salarié opened in their own space (``part``: « ouverture », « bilan »…)."""
    entry = AccessLog(
        structure_id=employee.structure_id,
        membership_id=None,
        employee_id=employee.id,
        part=f"espace.{part}",
        action=action,
    )
    session.add(entry)
    session.flush()
    return entry


def part_label(entry: AccessLog) -> str:
    """What was seen, in French: « Bilans (téléchargement) »."""
    part = entry.part
    label = (
        PART_LABELS.get(part)
        or PAGE_LABELS.get(part)
        or FEATURE_LABELS.get(part.split(".", 1)[0], part)
    )
    return label + ACTION_LABELS.get(entry.action, "")


@dataclass
class LogFilter:
    membership_id: uuid.UUID | None = None
    employee_id: uuid.UUID | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def entries(session: Session, flt: LogFilter, limit: int = PAGE_SIZE) -> tuple[list, int]:
    """The newest entries matching ``flt`` (at most ``limit``) and how many match in all."""
    stmt = select(AccessLog)
    if flt.membership_id:
        stmt = stmt.where(AccessLog.membership_id == flt.membership_id)
    if flt.employee_id:
        stmt = stmt.where(AccessLog.employee_id == flt.employee_id)
    if flt.since:
        stmt = stmt.where(AccessLog.at >= _start_of(flt.since))
    if flt.until:
        stmt = stmt.where(AccessLog.at < _start_of(flt.until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(
        stmt.options(
            selectinload(AccessLog.membership).selectinload(Membership.user),
            selectinload(AccessLog.employee),
        )
        .order_by(AccessLog.at.desc())
        .limit(limit)
    ).all()
    return list(rows), total or 0


def purge(
    session: Session, older_than_days: int = RETENTION_DAYS, dry_run: bool = False
) -> dict[str, int]:
    """Delete entries older than the limit, in every structure (system scope): per slug."""
    cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
    counts = dict(
        session.execute(
            select(Structure.slug, func.count(AccessLog.id))
            .join(Structure, Structure.id == AccessLog.structure_id)
            .where(AccessLog.at < cutoff)
            .group_by(Structure.slug)
        ).all()
    )
    if counts and not dry_run:
        session.execute(delete(AccessLog).where(AccessLog.at < cutoff))
    return counts
