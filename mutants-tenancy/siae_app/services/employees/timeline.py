"""The parcours as a list of dated items, gathered from sources other features can add to.

A source is ``fn(session, employee, today) -> iterable of TimelineItem``; register it with
``register_source`` (e.g. the accueil checklist or the bilans add their own items).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import Employee
from siae_app.models.employees import EXIT_KINDS, PASS_EXTENSION_MOTIFS, SENSITIVE_MOTIFS
from siae_app.services.employees import exits, pass_iae


@dataclass(frozen=True)
class TimelineItem:
    date: date
    kind: str  # entry, exit, contract_start, contract_end, pass_start, pass_end, ...
    label: str
    planned: bool = False  # a date still to come


Source = Callable[[Session, Employee, date], Iterable[TimelineItem]]
SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def _item(day: date, kind: str, label: str, today: date) -> TimelineItem:
    return TimelineItem(day, kind, label, planned=day > today)


@register_source
def entry_and_exit(session: Session, employee: Employee, today: date):
    if employee.entry_date:
        yield _item(employee.entry_date, "entry", "Arrivée dans la structure", today)
    if employee.exit_date:
        label = f"Sortie : {EXIT_KINDS.get(employee.exit_kind or '', 'type non précisé')}"
        reason = exits.reason_label(employee.exit_kind, employee.exit_reason)
        yield _item(employee.exit_date, "exit", label + (f" ({reason})" if reason else ""), today)


@register_source
def contract_items(session: Session, employee: Employee, today: date):
    for c in employee.contracts:
        hours = f"{c.weekly_hours:g} h/semaine"
        what = "Renouvellement / avenant du CDDI" if c.parent_id else "Début du CDDI"
        yield _item(c.start_date, "contract_start", f"{what} ({hours})", today)
        if c.ended_early_on:
            yield _item(c.ended_early_on, "contract_end", "Fin anticipée du CDDI", today)
        else:
            yield _item(c.end_date, "contract_end", "Fin du CDDI", today)


@register_source
def pass_items(session: Session, employee: Employee, today: date):
    for p in employee.passes:
        yield _item(p.start_date, "pass_start", "Début du PASS IAE", today)
        for s in p.suspensions:
            yield _item(s.start_date, "pass_suspension", "Suspension du PASS IAE", today)
            yield _item(s.end_date, "pass_resume", "Fin de la suspension du PASS IAE", today)
        for e in p.extensions:
            motif = (
                "motif confidentiel"
                if e.motif in SENSITIVE_MOTIFS
                else PASS_EXTENSION_MOTIFS.get(e.motif, e.motif)
            )
            label = f"Prolongation du PASS IAE de {e.months} mois ({motif})"
            yield _item(e.decided_on, "pass_extension", label, today)
        yield _item(pass_iae.effective_end(p), "pass_end", "Fin du PASS IAE", today)


def timeline(session: Session, employee: Employee, today: date | None = None) -> list:
    today = today or date.today()
    items = [item for source in SOURCES for item in source(session, employee, today)]
    return sorted(items, key=lambda i: (i.date, i.kind))
