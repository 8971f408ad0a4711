"""The annual report: its frozen copies (figures, XLSX, PDF) and what changed since one.

A copy is asked for (``request``), then built by a job (``build``) in three steps — the
figures, the workbook, the document — so that a page can show its progress. The figures
are frozen with the copy: a later copy, or today's figures, are compared with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import AnnualReport, BatchStatus, Membership, Structure
from siae_app.models.base import utcnow
from siae_app.services import ServiceError
from siae_app.services.exports import xlsx_sheets
from siae_app.services.funding import annexes, exits, indicators

REPORT_STEPS = 3


def copies(session: Session, year: int) -> list[AnnualReport]:
    return list(
        session.scalars(
            select(AnnualReport)
            .where(AnnualReport.year == year)
            .order_by(AnnualReport.created_at.desc())
        )
    )


def request(
    session: Session, membership: Membership, structure: Structure, year: int
) -> AnnualReport:
    """A new copy of ``year``'s report, waiting for its job."""
    if any(c.status.in_progress for c in copies(session, year)):
        raise ServiceError(
            f"Le rapport {year} est déjà en préparation : attendez qu'il soit prêt.",
            field="annee",
        )
    report = AnnualReport(
        structure_id=structure.id, year=year, requested_by_id=membership.id, step=0
    )
    session.add(report)
    session.flush()
    return report


def figures(session: Session, structure: Structure, year: int, today: date) -> dict:
    """The year's indicators, with each annex of the year's ETP (no name anywhere)."""
    data = indicators.annual(session, structure, year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    upto = min(today, end)
    data["annexes"] = [
        {
            "label": a.label,
            "kind": a.kind,
            "start": a.start_date.isoformat(),
            "end": a.end_date.isoformat(),
            "etp_conventioned": float(a.etp_conventioned),
            "etp_consumed": float(f.etp_consumed),
            "etp_forecast": float(f.etp_forecast),
            "hours_paid": float(f.hours_to_date),
            "target_dynamic_rate": _rate(a.target_dynamic_rate),
            "target_durable_rate": _rate(a.target_durable_rate),
        }
        for a in annexes.all_annexes(session)
        if a.start_date <= end and a.end_date >= start
        for f in [indicators.annex_figures(session, structure, a, upto)]
    ]
    return data


def _rate(value) -> float | None:
    return None if value is None else float(value)


def build(
    session: Session,
    report: AnnualReport,
    structure: Structure,
    render_pdf: Callable[[AnnualReport, Structure], bytes],
    today: date | None = None,
    on_progress: Callable[[], None] | None = None,
) -> None:
    """Compute, then write the workbook, then the document; ``on_progress`` after each."""
    report.status = BatchStatus.RUNNING
    report.figures = figures(session, structure, report.year, today or date.today())
    report.step = 1
    _progress(session, on_progress)
    report.xlsx = workbook(report.figures, structure)
    report.step = 2
    _progress(session, on_progress)
    report.pdf = render_pdf(report, structure)
    report.step = REPORT_STEPS
    report.status = BatchStatus.DONE
    report.finished_at = utcnow()
    _progress(session, on_progress)


def fail(session: Session, report: AnnualReport) -> None:
    report.status = BatchStatus.FAILED
    report.error = "La préparation du rapport a échoué ; relancez-la ou prévenez l'assistance."
    report.finished_at = utcnow()
    session.flush()


def _progress(session: Session, on_progress) -> None:
    session.flush()
    if on_progress is not None:
        on_progress()


# ------------------------------------------------------------------ the figures as rows


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def key_figures(data: dict) -> list[tuple[str, str, object]]:
    """(key, label, value) of the headline figures, in the report's order."""
    rows = [
        ("people_served", "Personnes accompagnées", data["people_served"]),
        ("entries", "Entrées", data["entries"]),
        ("exits_counted", "Sorties comptabilisées", data["exits_counted"]),
    ]
    rows += [
        (f"exits.{key}", f"Sorties : {label.lower()}", data["exits"][key])
        for key, label in exits.CATEGORY_LABELS.items()
    ]
    rows += [
        ("dynamic_exit_rate", "Taux de sorties dynamiques", _percent(data["dynamic_exit_rate"])),
        (
            "durable_exit_rate",
            "Taux de sorties en emploi durable",
            _percent(data["durable_exit_rate"]),
        ),
        ("hours_paid", "Heures payées", data["hours_paid"]),
        ("details.hours_worked", "Heures travaillées (présences)", data["details"]["hours_worked"]),
        ("etp_conventioned", "ETP conventionnés", data["etp_conventioned"]),
        ("etp_consumed", "ETP consommés", data["etp_consumed"]),
    ]
    accompaniment = data["details"]["accompaniment"]
    rows += [
        (f"accompaniment.{key}", label, accompaniment[key]) for key, label in ACCOMPANIMENT.items()
    ]
    return rows


def followups(data: dict) -> list[tuple[str, int]]:
    """« Situation à 6 mois » of the year's sorties: (label, count), in the report's order
    (none for a copy frozen before it was recorded)."""
    counts = data.get("exit_followups")
    if counts is None:
        return []
    return [(label, counts[key]) for key, label in exits.FOLLOWUP_LABELS.items()]


ACCOMPANIMENT = {
    "interviews": "Entretiens individuels",
    "actions_done": "Actions réalisées",
    "actions_with_partner": "dont avec un partenaire",
    "action_hours": "Temps passé sur les actions (heures)",
    "trainings": "Formations",
    "training_days": "Jours de formation",
    "pmsmp": "Immersions (PMSMP)",
    "pmsmp_days": "Jours de PMSMP",
    "reviews_held": "Bilans tenus",
    "attestations_signed": "Attestations de compétences signées",
}


def breakdowns(data: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    """(title, [(label, count)]) of the public served, counts only."""
    d = data["details"]
    return [
        ("Âge à l'entrée", [(r["label"], r["count"]) for r in d["age_bands"]]),
        ("Sexe", [(r["label"], r["count"]) for r in d["sex"]]),
        ("Niveau de formation", [(r["label"], r["count"]) for r in d["education"]]),
        ("Prescripteurs", [(r["label"], r["count"]) for r in d["prescribers"]]),
        ("Critères d'éligibilité", [(r["label"], r["count"]) for r in d["criteria"]]),
        (
            "Résidence",
            [
                ("Quartier prioritaire (QPV)", d["residence"]["qpv"]),
                ("Zone de revitalisation rurale (ZRR)", d["residence"]["zrr"]),
            ],
        ),
    ]


def changes(before: dict, after: dict) -> list[tuple[str, object, object]]:
    """The headline figures that differ between two states of a year: (label, old, new)."""
    old = {key: value for key, _, value in key_figures(before)}
    return [
        (label, old.get(key), value)
        for key, label, value in key_figures(after)
        if old.get(key) != value
    ]


def workbook(data: dict, structure: Structure) -> bytes:
    head = [("Indicateur", "Valeur")]
    sheets = [
        (
            "Indicateurs",
            head
            + [(label, value) for _, label, value in key_figures(data)]
            + [(f"Situation à 6 mois : {label.lower()}", n) for label, n in followups(data)],
        ),
        (
            "Annexes",
            [("Annexe", "ETP conventionnés", "ETP consommés", "ETP prévus", "Heures payées")]
            + [
                (
                    a["label"],
                    a["etp_conventioned"],
                    a["etp_consumed"],
                    a["etp_forecast"],
                    a["hours_paid"],
                )
                for a in data["annexes"]
            ],
        ),
        (
            "Public",
            [("Répartition", "Catégorie", "Salariés")]
            + [(title, label, n) for title, rows in breakdowns(data) for label, n in rows],
        ),
        (
            "Freins",
            [("Axe", "Identifiés dans l'année", "Levés dans l'année")]
            + [(b["axis"], b["identified"], b["lifted"]) for b in data["details"]["barriers"]],
        ),
    ]
    title = f"{structure.name} — rapport annuel {data['year']}"
    return xlsx_sheets(title, sheets)
