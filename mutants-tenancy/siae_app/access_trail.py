"""The access log of every salarié page, written by one mechanism that a new page cannot forget.

A structure page whose URL names a salarié — directly (``employee_id``) or through a record of
their file (``review_id``, ``barrier_id``…) — and answers 2xx, or 422 / 409 (a refused form
shown again with the file around it), writes, as the request ends, one
access-log row per salarié it names: who (the membership), which salarié, which part (the
page's endpoint), whether it was a download, and whether sensitive content was shown. An HTML
answer shows sensitive content when it carries ``data-sensitive`` (every rendering of
sensitive content must sit in such an element: the tests check it on every page); a file says
so through :func:`mark_sensitive`, called by the view that builds it.

Every URL argument of a structure route is classified here, as naming a salarié (SUBJECTS) or
not (NOT_SUBJECTS): a route with a new argument fails tests/test_access_trail.py until it is.
"""

from __future__ import annotations

import uuid

from flask import Response, g, has_request_context, request
from sqlalchemy import event

from siae_app.extensions import db
from siae_app.models import (
    Action,
    Assessment,
    Attestation,
    Barrier,
    Contract,
    Employee,
    Goal,
    Interview,
    LearningSession,
    OnboardingItem,
    PassIae,
    PathwayObjective,
    Review,
    UrgentSituation,
)
from siae_app.services.employees import access_log

# URL argument → the model of the salarié's record it names (each has ``employee_id``).
SUBJECTS: dict[str, type] = {
    "employee_id": Employee,
    "contract_id": Contract,
    "pass_id": PassIae,
    "barrier_id": Barrier,
    "objective_id": PathwayObjective,
    "action_id": Action,
    "item_id": OnboardingItem,
    "interview_id": Interview,
    "urgent_id": UrgentSituation,
    "review_id": Review,
    "attestation_id": Attestation,
    "assessment_id": Assessment,
    "goal_id": Goal,
    "seance_id": LearningSession,
}
# URL arguments that name no salarié: structure-wide objects, or a line whose route also
# carries the record it belongs to (assessment_item_id comes with assessment_id).
NOT_SUBJECTS = frozenset(
    {
        "structure_slug",
        "membership_id",
        "annex_id",
        "report_id",
        "team_id",
        "activity_id",
        "framework_id",
        "block_id",
        "competency_id",
        "criterion_id",
        "import_id",
        "scale_id",
        "level_id",
        "axis_id",
        "partner_id",
        "template_item_id",
        "batch_id",
        "grid_id",
        "grid_item_id",
        "assessment_item_id",
    }
)


# A refused form is shown again with the page around it: 422 (bad input), 409 (an id taken).
REFUSED_FORMS = (409, 422)


def mark_sensitive() -> None:
    """The file this request answers carries sensitive content (its access-log row says so)."""
    g.access_sensitive = True


def record(response: Response) -> bool:
    """Before the request's commit: the access-log rows of the salariés this answer shows
    (flushed); whether there were any."""
    shown = 200 <= response.status_code < 300 or response.status_code in REFUSED_FORMS
    if not shown or g.get("membership") is None:
        return False
    if not (request.endpoint or "").startswith("s."):
        return False
    employee_ids = _named_employees(request.view_args or {})
    if not employee_ids:
        return False
    sensitive = _shows_sensitive(response)
    download = "attachment" in response.headers.get("Content-Disposition", "")
    part = request.endpoint.removeprefix("s.")
    for employee_id in sorted(employee_ids):
        access_log.record_view(
            db.session,
            g.membership,
            employee_id,
            part,
            sensitive=sensitive,
            action="download" if download else "view",
        )
    return True


def _remember_loaded(target, *_event_args) -> None:
    """Each record of a salarié's file loaded by the request, with its salarié: the URL's
    record was loaded by the view, inside its scope (else no 2xx). The session's identity map
    holds objects weakly and may already have let it go by the time the request ends."""
    if has_request_context():
        owner = target.id if isinstance(target, Employee) else target.employee_id
        g.setdefault("access_loaded", {})[(type(target), target.id)] = owner


for _model in set(SUBJECTS.values()):
    event.listen(_model, "load", _remember_loaded)
    event.listen(_model, "refresh", _remember_loaded)


def _named_employees(view_args: dict) -> set[uuid.UUID]:
    """The salariés the URL names, from the records the view loaded (or the session)."""
    loaded = g.get("access_loaded", {})
    found: set[uuid.UUID] = set()
    for name, value in view_args.items():
        model = SUBJECTS.get(name)
        if model is None:
            continue
        owner = loaded.get((model, value))
        if owner is None:
            row = db.session.get(model, value)
            owner = None if row is None else row.id if model is Employee else row.employee_id
        if owner is not None:
            found.add(owner)
    return found


def _shows_sensitive(response: Response) -> bool:
    if g.get("access_sensitive"):
        return True
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return False
    return b"data-sensitive" in response.get_data()
