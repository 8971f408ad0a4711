"""The pages of the bilans: a salarié's list with its schedule, and one bilan with its forms
(a form refused comes back with what was typed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.blueprints.reviews.forms import (
    EtiForm,
    OpenForm,
    ParticipantForm,
    ProlongationForm,
    ReopenForm,
    SynthesisForm,
)
from siae_app.extensions import db
from siae_app.models import Contract, Employee, PassIae, ScheduledReviewStatus
from siae_app.models.reviews import (
    FOLLOWUP_OUTCOMES,
    NEED_SCORES,
    PROLONGATION_NEEDS,
    RENEWAL_CHOICES,
    SENSITIVE_NEEDS,
    Review,
)
from siae_app.permissions import scopes
from siae_app.rendering import render
from siae_app.services import history
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import documents, schedule
from siae_app.services.reviews import workflow as service


def _schedule(employee: Employee, reviews: list[Review], today: date) -> list[dict]:
    """The expected bilans with the status the alerts use: the opened bilan's own status
    (``review``), else remplacé (``review``: the validated bilan replacing it), en retard or à
    venir (``may_open``: the « Ouvrir ce bilan » button)."""
    contracts = db.session.scalars(
        select(Contract).where(Contract.employee_id == employee.id)
    ).all()
    passes = db.session.scalars(
        select(PassIae)
        .options(selectinload(PassIae.extensions), selectinload(PassIae.suspensions))
        .where(PassIae.employee_id == employee.id)
    ).all()
    opened = [
        schedule.Opened(r.kind, r.due_on or r.held_on or r.period_end, r.status, r) for r in reviews
    ]
    rows = []
    for item in schedule.expected(employee, list(contracts), list(passes)):
        status, found = schedule.status(item, opened, today)
        rows.append(
            {
                "item": item,
                "status": status,
                "review": found.ref if found else None,
                "may_open": status in (ScheduledReviewStatus.LATE, ScheduledReviewStatus.COMING),
            }
        )
    return rows


def list_page(employee: Employee, form: OpenForm | None = None) -> str:
    reviews = db.session.scalars(
        select(Review)
        .where(Review.employee_id == employee.id)
        .order_by(Review.due_on.desc().nulls_last(), Review.created_at.desc())
    ).all()
    return render(
        "reviews/list.html",
        employee=employee,
        reviews=reviews,
        schedule=_schedule(employee, list(reviews), date.today()),
        form=form or OpenForm(),
    )


# The texts several people write: each form sends the fingerprint of the text it showed.
SHARED_TEXTS = {
    "eti_form": ("eti_part",),
    "synthesis_form": ("cip_synthesis", "employee_words", "orientation"),
}


def shown(form, key: str) -> dict[str, str | None]:
    """The fingerprints the page sent back, for ``workflow.save_*(shown=…)``."""
    return {name: getattr(form, f"{name}_seen").data for name in SHARED_TEXTS[key]}


def _shared_form(review: Review, forms: dict, key: str, make: Callable[[], Any]):
    """A fresh form carries the fingerprints of the stored texts. A form refused because a
    text changed meanwhile carries the new one: saving it again is then a deliberate choice."""
    refused = forms.get(key)
    form = refused or make()
    for name in SHARED_TEXTS[key]:
        if refused is None or service.changed_meanwhile(getattr(form, name).errors):
            getattr(form, f"{name}_seen").data = service.fingerprint(getattr(review, name))
    return form


def _synthesis_form(review: Review) -> SynthesisForm:
    form = SynthesisForm(obj=review)
    form.renewal.data = review.renewal or ""
    return form


def _prolongation_form(review: Review) -> ProlongationForm:
    form = ProlongationForm(obj=review)
    form.prolongation_motif.data = review.prolongation_motif or ""
    for key in PROLONGATION_NEEDS:
        getattr(form, f"need_{key}").data = (review.needs or {}).get(key, "")
    return form


def _sensitive(review: Review, employee: Employee) -> list[documents.SensitiveItem]:
    """The salarié's sensitive items, for a reader who may read them (the page showing them
    is logged by the access trail as showing sensitive content)."""
    if not documents.may_read_sensitive(g.membership):
        return []
    return documents.sensitive_items(db.session, review)


def _refusals(review: Review, forms: dict) -> list[str]:
    """On a locked bilan the forms are not shown: their refusals are said at the top."""
    if not review.is_locked:
        return []
    return [
        message
        for name, form in forms.items()
        if name != "reopen_form"
        for messages in form.errors.values()
        for message in messages
    ]


def review_page(review: Review, **forms) -> str:
    """The bilan page; ``forms`` replaces a form that came back with errors."""
    employee = review.employee
    candidates = compiling.highlight_candidates(
        db.session, scopes.observations(g.membership), review
    )
    return render(
        "reviews/review.html",
        review=review,
        employee=employee,
        compiled=review.compiled or {},
        coverage=compiling.coverage_of(db.session, review),
        as_date=date.fromisoformat,
        candidates=candidates,
        chosen={h.observation_id for h in review.highlights},
        highlights=documents.highlights(db.session, review),
        sensitive=_sensitive(review, employee),
        sensitive_needs=SENSITIVE_NEEDS,
        needs=PROLONGATION_NEEDS,
        history=history.of_row(db.session, service.ENTITY, review.id),
        eti_form=_shared_form(review, forms, "eti_form", lambda: EtiForm(obj=review)),
        synthesis_form=_shared_form(
            review, forms, "synthesis_form", lambda: _synthesis_form(review)
        ),
        prolongation_form=forms.get("prolongation_form") or _prolongation_form(review),
        participant_form=forms.get("participant_form") or ParticipantForm(formdata=None),
        reopen_form=forms.get("reopen_form") or ReopenForm(formdata=None),
        copies=documents.COPIES,
        refusals=_refusals(review, forms),
        outcomes=FOLLOWUP_OUTCOMES,
        renewals=RENEWAL_CHOICES,
        scores=NEED_SCORES,
        sees_sensitive=documents.may_read_sensitive(g.membership),
    )
