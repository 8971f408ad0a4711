"""Observations of a salarié: one-tap writing, the feed with filters, a competency's page."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, g, request
from sqlalchemy import select

from siae_app.blueprints.evaluations.panels import competency_panel
from siae_app.blueprints.forms_common import choices, uuid_or_none
from siae_app.blueprints.loaders import employee as load_employee
from siae_app.blueprints.observations import bp, loaders
from siae_app.blueprints.observations.forms import ObservationForm
from siae_app.blueprints.routes_common import ObjectPage
from siae_app.extensions import db
from siae_app.models import Competency, Employee, Membership, Observation
from siae_app.models.observations import TONES
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed, require
from siae_app.rendering import render
from siae_app.services import observations as service
from siae_app.services.client_ids import IdTaken


def _uuid_arg(name: str) -> uuid.UUID | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        abort(400)


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        abort(400)


def _filters() -> service.FeedFilter:
    tone = request.args.get("ton") or None
    if tone is not None and tone not in TONES:
        abort(400)
    return service.FeedFilter(
        competency_id=_uuid_arg("competence"),
        tone=tone,
        author_id=_uuid_arg("auteur"),
        start=_date_arg("du"),
        end=_date_arg("au"),
    )


def _form() -> ObservationForm:
    form = ObservationForm()
    if not form.is_submitted():
        form.record_id.data = str(uuid.uuid4())
    return form


def _fill_choices(form: ObservationForm, employee: Employee) -> None:
    """The levels and the checked competencies, read only when the form is shown: a POST
    that saves does not need them (the service checks what was sent)."""
    form.level_id.choices = choices(
        [("", "— Aucun —")] + [(lv.id, lv.label) for lv in service.levels(db.session)]
    )
    picked = [i for v in form.competency_ids.data or [] if (i := uuid_or_none(v))]
    form.competency_ids.choices = choices(
        (c.id, c.title) for c in service.competencies_by_ids(db.session, employee, picked)
    )


def _page(employee: Employee, form: ObservationForm | None):
    if form is not None:
        _fill_choices(form, employee)
    visible = scopes.observations(g.membership)
    filters = _filters()
    feed = service.feed(db.session, visible, employee, filters)
    authors = db.session.scalars(
        select(Membership).where(Membership.id.in_({o.author_id for o in feed if o.author_id}))
    ).all()
    return render(
        "observations/index.html",
        block="observations_feed",
        employee=employee,
        form=form,
        feed=feed,
        filters=filters,
        tones=TONES,
        authors=authors,
        competencies=db.session.scalars(
            service.competencies_for(employee).order_by(Competency.position)
        ).all(),
    )


EMPLOYEE = ObjectPage("employee_id", load_employee, ".index", _page)


@bp.get("/<uuid:employee_id>/observations")
@require(Perm.OBSERVATIONS_VIEW)
def index(employee_id: uuid.UUID):
    employee = load_employee(employee_id)
    writable = allowed(g.membership, Perm.OBSERVATIONS_WRITE)
    return _page(employee, _form() if writable else None)


@bp.post("/<uuid:employee_id>/observations")
@require(Perm.OBSERVATIONS_WRITE)
@EMPLOYEE.form(ObservationForm, "Observation enregistrée.", refused_as="form", error_field="text")
def create(employee: Employee, form: ObservationForm) -> Observation:
    draft = service.Draft(
        record_id=uuid.UUID(form.record_id.data),
        text=form.text.data,
        tone=form.tone.data or "neutral",
        sensitive=bool(form.sensitive.data),
        competency_ids=tuple(uuid.UUID(v) for v in form.competency_ids.data or []),
        level_id=uuid.UUID(form.level_id.data) if form.level_id.data else None,
    )
    try:
        return service.create(db.session, g.membership, employee, draft)
    except IdTaken:
        form.record_id.data = str(uuid.uuid4())  # sent again, it is a new observation
        raise


@bp.get("/<uuid:employee_id>/observations/competences")
@require(Perm.OBSERVATIONS_WRITE)
def picker(employee_id: uuid.UUID):
    """Search-as-you-type: the competencies of the team's frameworks, checked ones first."""
    employee = load_employee(employee_id)
    picked_ids = [i for v in request.args.getlist("competency_ids") if (i := uuid_or_none(v))]
    picked = service.competencies_by_ids(db.session, employee, picked_ids)
    found = service.search_competencies(db.session, employee, request.args.get("q", ""))
    others = [c for c in found if c.id not in set(picked_ids)]
    return render("observations/_picker.html", picked=picked, found=others)


@bp.get("/<uuid:employee_id>/competences/<uuid:competency_id>")
@require(Perm.OBSERVATIONS_VIEW)
def competency(employee_id: uuid.UUID, competency_id: uuid.UUID):
    employee = load_employee(employee_id)
    comp = loaders.competency(competency_id)
    visible = scopes.observations(g.membership)
    feed = service.feed(db.session, visible, employee, service.FeedFilter(competency_id=comp.id))
    evaluation = None
    if allowed(g.membership, Perm.EVALUATIONS_VIEW):  # evaluations: levels, goals, séances
        evaluation = competency_panel(employee, comp)
    return render(
        "observations/competency.html",
        employee=employee,
        competency=comp,
        feed=feed,
        evaluation=evaluation,
    )
