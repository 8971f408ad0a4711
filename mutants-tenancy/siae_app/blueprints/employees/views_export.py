"""Export of the list (CSV, the current filters): identity, team, dates; nothing sensitive."""

from __future__ import annotations

import csv
import io

from flask import Response, g

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.views import _list_filter
from siae_app.extensions import db
from siae_app.models.employees import EXIT_KINDS
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, require
from siae_app.services.employees import access_log, exits, listing
from siae_app.services.exports import attachment, spreadsheet_safe

HEADER = [
    "Nom",
    "Nom d'usage",
    "Prénom",
    "Date de naissance",
    "Équipe",
    "Référent·e",
    "Date d'entrée",
    "Fin du contrat",
    "Fin du PASS IAE",
    "Statut du PASS",
    "Date de sortie",
    "Type de sortie",
    "Motif de sortie",
]


def _fr(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _line(row: listing.Row) -> list:
    e = row.employee
    return [
        e.last_name,
        e.usage_name or "",
        e.first_name,
        _fr(e.birth_date),
        e.team.name if e.team else "",
        e.referent.user.full_name if e.referent else "",
        _fr(e.entry_date),
        _fr(row.contract_end),
        _fr(row.pass_end),
        row.pass_status.label if row.pass_status else "",
        _fr(e.exit_date),
        EXIT_KINDS.get(e.exit_kind or "", ""),
        exits.reason_label(e.exit_kind, e.exit_reason),
    ]


@bp.get("/export.csv")
@require(Perm.EMPLOYEES_EXPORT)
def export_csv():
    flt = _list_filter()
    flt.page = 1
    page = listing.rows(
        db.session, scopes.employees(g.membership), flt, page_size=listing.EXPORT_LIMIT
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for row in page.rows:
        writer.writerow([spreadsheet_safe(v) for v in _line(row)])
    access_log.record_view(db.session, g.membership, None, "export", action="download")
    # A BOM so that a spreadsheet opens the UTF-8 file with its accents.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": attachment(f"salaries-{g.structure.slug}", "csv")},
    )
