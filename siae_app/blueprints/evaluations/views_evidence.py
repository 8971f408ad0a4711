"""The « dossier de preuves » of a salarié for a VAE / RSFP jury (CIP view): choose the
evidence on a titre's framework, download the PDF, offer it in the salarié's space.

Permission: ``REVIEWS_PREPARE`` (CIP and coordination), the people who prepare the
documents that leave the structure about a salarié (the bilans); the ETI does not prepare
them. Every page names the salarié (``employee_id``): the access trail logs it.
"""

from __future__ import annotations

import uuid

from flask import flash, g, request

from siae_app.blueprints.evaluations import bp
from siae_app.blueprints.evaluations.views_coverage import _chosen, _frameworks
from siae_app.blueprints.forms_common import see_other
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import download
from siae_app.extensions import db
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services import ServiceError
from siae_app.services.certification import evidence as service
from siae_app.services.certification import evidence_pdf
from siae_app.services.personal_space import access as space_access

PREPARE = Perm.REVIEWS_PREPARE


def _page(employee, frameworks, framework, picked=None, error=None, status=200):
    found = service.file_of(db.session, employee, framework) if framework else None
    candidates = service.candidates(db.session, employee, framework) if framework else None
    chosen = service.chosen_keys(db.session, found) if picked is None else picked
    has_space = space_access.current(db.session, employee) is not None
    return render(
        "evaluations/evidence_file.html",
        employee=employee,
        frameworks=frameworks,
        framework=framework,
        evidence_file=found,
        candidates=candidates,
        chosen=chosen,
        has_space=has_space,
        error=error,
        kind_titles=service.KIND_TITLES,
        kinds=service.KINDS,
    ), status


@bp.get("/salaries/<uuid:employee_id>/dossier-preuves")
@require(PREPARE)
def evidence_file(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    frameworks = _frameworks()
    return _page(employee, frameworks, _chosen(frameworks))


@bp.post("/salaries/<uuid:employee_id>/dossier-preuves")
@require(PREPARE)
def choose_evidence(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    frameworks = _frameworks()
    framework = _chosen(frameworks)
    if framework is None:
        return _page(employee, frameworks, None, set(), "Aucun référentiel avec des blocs.", 422)
    keys = service.parse_keys(request.form.getlist("preuve"))
    if keys is None:
        message = "Le choix envoyé est illisible : cochez de nouveau les preuves."
        return _page(employee, frameworks, framework, set(), message, 422)
    try:
        service.choose(db.session, employee, framework, g.membership, keys)
    except ServiceError as exc:
        return _page(employee, frameworks, framework, keys, exc.message, 422)
    db.session.commit()
    count = len(keys)
    message = (
        f"Choix enregistré : {count} preuve{'s' if count > 1 else ''} dans le dossier."
        if count
        else "Choix enregistré : aucune preuve retenue pour l'instant."
    )
    return see_other(".evidence_file", message, employee_id=employee.id, referentiel=framework.id)


@bp.post("/salaries/<uuid:employee_id>/dossier-preuves/espace")
@require(PREPARE)
def offer_evidence_file(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    frameworks = _frameworks()
    framework = _chosen(frameworks)
    found = service.file_of(db.session, employee, framework) if framework else None
    if found is None:
        flash("Enregistrez d'abord le choix des preuves, puis proposez le dossier.", "error")
    elif space_access.current(db.session, employee) is None:
        flash("Ce salarié n'a pas d'espace personnel : ouvrez-le d'abord.", "error")
    else:
        # The state asked for, not a toggle: a form sent twice changes nothing more.
        on = request.form.get("proposer") == "1"
        if on != found.offered_in_space:
            service.offer(db.session, found, g.membership, on)
        db.session.commit()
        flash(
            "Le dossier est proposé dans l'espace du salarié."
            if on
            else "Le dossier n'est plus proposé dans l'espace du salarié.",
            "success",
        )
    return see_other(
        ".evidence_file",
        None,
        employee_id=employee.id,
        referentiel=framework.id if framework else None,
    )


@bp.get("/salaries/<uuid:employee_id>/dossier-preuves.pdf")
@require(PREPARE)
def evidence_file_pdf(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    framework = _chosen(_frameworks())
    if framework is None:
        flash("Aucun référentiel avec des blocs : pas de dossier de preuves.", "error")
        return see_other(".evidence_file", None, employee_id=employee.id)
    found = service.file_of(db.session, employee, framework)
    pdf = evidence_pdf.render(db.session, employee, framework, found)
    name = f"Dossier de preuves {employee.display_name} {framework.title}"
    return download(pdf, "application/pdf", name, "pdf")
