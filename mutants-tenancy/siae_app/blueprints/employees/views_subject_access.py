"""« Données détenues »: what the structure holds about one salarié (RGPD, droit d'accès),
as a page that explains it, a PDF to hand over and a JSON file (its schema:
siae_app/privacy/subject_access.schema.json). The access log row of each is written by
``access_trail`` (the URL names the salarié), marked sensitive when sensitive content was
included."""

from __future__ import annotations

import json
import uuid

from flask import g

from siae_app import access_trail
from siae_app.blueprints.employees import bp
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import download
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import structure_identity
from siae_app.services.pdf import render_pdf
from siae_app.services.privacy import subject_access


def _collect(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    data = subject_access.collect(db.session, employee, g.membership)
    if data["sensitive"]["included"]:
        access_trail.mark_sensitive()  # whoever downloads sensitive content is logged
    return employee, data


def _name(employee) -> str:
    return f"Données détenues {employee.display_name}"


@bp.get("/<uuid:employee_id>/donnees-detenues")
@require(Perm.SUBJECT_ACCESS_EXPORT)
def subject_access_page(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    data = subject_access.collect(db.session, employee, g.membership)
    return render(
        "employees/subject_access.html",
        employee=employee,
        data=data,
        categories=subject_access.counts(data),
    )


@bp.get("/<uuid:employee_id>/donnees-detenues.pdf")
@require(Perm.SUBJECT_ACCESS_EXPORT)
def subject_access_pdf(employee_id: uuid.UUID):
    employee, data = _collect(employee_id)
    content = render_pdf(
        "pdf/subject_access.html",
        title=_name(employee),
        structure=g.structure,
        identity=g.structure,
        logo_url=structure_identity.logo_url(g.structure),
        data=data,
        show=subject_access.display,
        filled=subject_access.filled_columns,
    )
    return download(content, "application/pdf", _name(employee), "pdf")


@bp.get("/<uuid:employee_id>/donnees-detenues.json")
@require(Perm.SUBJECT_ACCESS_EXPORT)
def subject_access_json(employee_id: uuid.UUID):
    employee, data = _collect(employee_id)
    content = json.dumps(data, ensure_ascii=False, indent=2)
    return download(content, "application/json", _name(employee), "json")
