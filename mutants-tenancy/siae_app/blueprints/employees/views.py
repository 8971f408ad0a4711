"""Liste des salariés, fiche, identité, aménagements, éligibilité, historique."""

from __future__ import annotations

import uuid
from datetime import date

from flask import g, request
from sqlalchemy import select

from siae_app.blueprints.employees import bp
from siae_app.blueprints.employees.common import (
    FilePart,
    back_to_file,
    referent_choices,
    team_choices,
    versioned_form,
)
from siae_app.blueprints.employees.forms import (
    AccommodationsForm,
    CriteriaForm,
    IdentityForm,
    NewEmployeeForm,
    SituationForm,
)
from siae_app.blueprints.forms_common import (
    choices,
    see_other,
    submit,
    uuid_or_none,
    values,
)
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.routes_common import GET_POST
from siae_app.extensions import db
from siae_app.models import EligibilityCriterion, Employee, EmployeeCriterion
from siae_app.models.employees import (
    DEROGATION_MOTIFS,
    EDUCATION_LEVELS,
    EXIT_KINDS,
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_MOTIFS,
    PRESCRIBER_KINDS,
    SENSITIVE_MOTIFS,
    SEXES,
)
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render
from siae_app.services import history, renewals
from siae_app.services.employees import (
    contracts,
    exit_followups,
    exits,
    handover,
    identity,
    listing,
    pass_iae,
    timeline,
)
from siae_app.services.privacy import requests as privacy_requests


def _list_filter() -> listing.ListFilter:
    args = request.args
    status = args.get("statut", "en_parcours")
    weeks = args.get("fin", "")
    return listing.ListFilter(
        q=(args.get("q") or "").strip()[:100],
        team_id=uuid_or_none(args.get("equipe")),
        referent_id=uuid_or_none(args.get("referent")),
        status=status if status in listing.STATUS_CHOICES else "en_parcours",
        ending_weeks=int(weeks) if weeks in listing.ENDING_CHOICES and weeks else None,
        page=int(args["page"]) if args.get("page", "").isdigit() else 1,
    )


@bp.get("/")
@require(Perm.EMPLOYEES_VIEW)
def index():
    flt = _list_filter()
    page = listing.rows(db.session, scopes.employees(g.membership), flt)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render(
        "employees/index.html",
        block="employee_rows",
        rows=page.rows,
        page=page,
        args=args,
        flt=flt,
        count_label=listing.count_label(page.total),
        teams=team_choices("Toutes les équipes"),
        referents=referent_choices("Tous les référents"),
        statuses=listing.STATUS_CHOICES,
        endings=listing.ENDING_CHOICES,
        own_only=scopes.sees_only_own_teams(g.membership),
        today=date.today(),
    )


def _criteria_of(employee: Employee) -> list[EligibilityCriterion]:
    return list(
        db.session.scalars(
            select(EligibilityCriterion)
            .join(EmployeeCriterion, EmployeeCriterion.criterion_id == EligibilityCriterion.id)
            .where(EmployeeCriterion.employee_id == employee.id)
            .order_by(EligibilityCriterion.position)
        )
    )


def _file_context(employee: Employee, handover_form=None) -> dict:
    """What the salarié's file shows; ``handover_form``: a refused tick of the handover at
    the sortie, shown again on its document with what was typed."""
    today = date.today()
    sees_sensitive = allowed(g.membership, Perm.EMPLOYEES_SENSITIVE_VIEW)
    criteria = []
    if allowed(g.membership, Perm.EMPLOYEES_ELIGIBILITY_VIEW):
        criteria = [c for c in _criteria_of(employee) if sees_sensitive or not c.is_sensitive]
    passes = [
        {
            "pass": p,
            "end": pass_iae.effective_end(p),
            "status": pass_iae.status(p, today),
            "window": pass_iae.extension_window(pass_iae.effective_end(p)),
        }
        for p in employee.passes
    ]
    return {
        "employee": employee,
        "today": today,
        "cumul": contracts.cumul(employee.contracts),
        "current_contract": contracts.current_contract(employee, today),
        "renewal": renewals.of_employee(db.session, employee, today),
        "passes": passes,
        "criteria": criteria,
        "sees_sensitive": sees_sensitive,
        "timeline_items": timeline.timeline(db.session, employee, today),
        "suspension_motifs": PASS_SUSPENSION_MOTIFS,
        "extension_motifs": PASS_EXTENSION_MOTIFS,
        "derogation_motifs": DEROGATION_MOTIFS,
        "sensitive_motifs": SENSITIVE_MOTIFS,
        "exit_kinds": EXIT_KINDS,
        "exit_reason": exits.reason_label(employee.exit_kind, employee.exit_reason),
        "reason_label": exits.reason_label,
        "handover": handover.handover(db.session, employee),
        "handover_form": handover_form,
        # Limitation and opposition asked by the person: shown to everyone who reads the file.
        "restrictions": privacy_requests.restrictions(db.session, employee),
        "followups": [
            (day, exit_followups.of_exit(employee, day), exit_followups.due_on(day))
            for day in exit_followups.exit_dates(employee)
        ],
        "situation_labels": {
            "sex": SEXES,
            "education_level": EDUCATION_LEVELS,
            "prescriber_kind": PRESCRIBER_KINDS,
        },
    }


@bp.get("/<uuid:employee_id>")
@require(Perm.EMPLOYEES_VIEW)
def show(employee_id: uuid.UUID):
    employee = load_employee(employee_id, full=True)
    return render("employees/show.html", **_file_context(employee))


def _identity_form(form_class, employee: Employee | None):
    form = form_class(obj=employee)
    form.team_id.choices = team_choices()
    form.referent_id.choices = referent_choices()
    if not form.is_submitted():
        if employee is not None:
            form.team_id.data = str(employee.team_id or "")
            form.referent_id.data = str(employee.referent_id or "")
            form.version_id.data = str(employee.version_id)
        else:
            ids = {m.id for m in identity.referent_choices(db.session)}
            form.referent_id.data = str(g.membership.id) if g.membership.id in ids else ""
    return form


def _identity_values(form) -> dict:
    values = {name: getattr(form, name).data for name in identity.IDENTITY_FIELDS}
    values["team_id"] = uuid_or_none(form.team_id.data)
    values["referent_id"] = uuid_or_none(form.referent_id.data)
    return values


@bp.route("/nouveau", methods=["GET", "POST"])
@require(Perm.EMPLOYEES_EDIT)
def new():
    form = _identity_form(NewEmployeeForm, None)
    return submit(
        form,
        lambda: identity.create_employee(db.session, g.membership, _identity_values(form)),
        done=lambda e: see_other(
            ".show", f"Fiche de {e.first_name} {e.last_name} créée.", employee_id=e.id
        ),
        page=lambda: render("employees/identity_form.html", form=form, employee=None),
        error_field="last_name",
    )


IDENTITY = FilePart(
    identity.update_identity,
    _identity_values,
    "employees/identity_form.html",
    "last_name",
    "Identité enregistrée.",
)
ACCOMMODATIONS = FilePart(
    identity.update_accommodations,
    lambda form: form.accommodations.data,
    "employees/accommodations_form.html",
    "accommodations",
    "Aménagements enregistrés.",
    "amenagements",
)


SITUATION = FilePart(
    identity.update_situation,
    lambda form: values(form, identity.SITUATION_FIELDS),
    "employees/situation_form.html",
    "sex",
    "Situation à l'entrée enregistrée.",
    "situation",
)


@bp.route("/<uuid:employee_id>/situation", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_situation(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return SITUATION.run(employee, versioned_form(SituationForm, employee))


@bp.route("/<uuid:employee_id>/identite", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_identity(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return IDENTITY.run(employee, _identity_form(IdentityForm, employee))


@bp.route("/<uuid:employee_id>/amenagements", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_accommodations(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return ACCOMMODATIONS.run(employee, versioned_form(AccommodationsForm, employee))


@bp.route("/<uuid:employee_id>/eligibilite", methods=GET_POST)
@require(Perm.EMPLOYEES_EDIT)
def edit_criteria(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    criteria = identity.ensure_default_criteria(db.session)
    held = {link.criterion_id for link in employee.criteria}
    writes_sensitive = identity.writes_sensitive(g.membership)
    # Without the permission, the sensitive criteria are shown read-only, held or not (the
    # service keeps them as they are whatever is sent).
    editable = [
        c for c in criteria if not c.is_archived and (writes_sensitive or not c.is_sensitive)
    ]
    read_only = [
        (c, c.id in held)
        for c in criteria
        if c.is_sensitive and not writes_sensitive and (c.id in held or not c.is_archived)
    ]
    form = CriteriaForm()
    form.criterion_ids.choices = choices((c.id, c.label) for c in editable)
    form.criterion_ids.validate_choice = False  # a sensitive id sent: the service's to judge
    if not form.is_submitted():
        form.criterion_ids.data = [str(cid) for cid in held]
    return submit(
        form,
        lambda: identity.set_criteria(
            db.session,
            g.membership,
            employee,
            [uuid_or_none(text) for text in form.criterion_ids.data or []],
        ),
        done=back_to_file(employee, "Critères d'éligibilité enregistrés.", "eligibilite"),
        page=lambda: render(
            "employees/criteria_form.html", form=form, employee=employee, read_only=read_only
        ),
        error_field="criterion_ids",
    )


@bp.get("/<uuid:employee_id>/historique")
@require(Perm.EMPLOYEES_HISTORY_VIEW)
def history_page(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    return render(
        "employees/history.html",
        employee=employee,
        records=history.of_employee(db.session, employee.id),
        sees_sensitive=allowed(g.membership, Perm.EMPLOYEES_SENSITIVE_VIEW),
    )
