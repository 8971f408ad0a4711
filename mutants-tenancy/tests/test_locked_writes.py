"""Every write route of a locked object refuses, says why in French, and changes nothing.

Locked objects: a validated bilan, a validated (locked) évaluation, a closed entretien, a
signed attestation. The write routes are found in the URL map (every POST route that takes
the object's id); only the way out of the lock (reopening, revoking) is allowed. A new write
route fails ``test_every_write_route_of_a_locked_object_is_checked`` until it is listed here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from siae_app.extensions import db
from siae_app.models import ChangeRecord, ReviewStatus
from siae_app.models.base import utcnow
from siae_app.models.evaluations import Assessment
from siae_app.models.reviews import Review, ReviewParticipant
from siae_app.services.reviews.workflow import fingerprint
from tests import factories as f
from tests.routes import ID_ARGS
from tests.site import text_of

REVIEW_LOCKED = "Ce bilan est validé : rouvrez-le (avec un motif) pour le modifier."
ASSESSMENT_LOCKED = (
    "Cette évaluation est validée et verrouillée : rouvrez-la (avec un motif) pour la corriger."
)
INTERVIEW_LOCKED = "Cet entretien est clôturé : rouvrez-le (avec un motif) pour le modifier."

# The argument naming a locked object, and the routes that are the way out of its lock.
LOCKED_ARGS = ("review_id", "assessment_id", "interview_id", "attestation_id")
WAYS_OUT = {
    "s.reviews.reopen",
    "s.evaluations.reopen",
    "s.interviews.reopen",
    "s.attestations.revoke",
}
# The salarié's own space answers its own self-assessment: the refusal of a locked one needs
# the space's session, and is tested in tests/personal_space/test_progress.py.
TESTED_ELSEWHERE = {"espace.self_assessment_form"}


@dataclass
class Locked:
    """A locked object of the world's structure A and the URL values of its routes."""

    obj: object
    url_values: dict


def _validated_review(site, kind: str) -> Review:
    if kind == site.review.kind:
        review = site.review
    else:
        review = f.ReviewFactory(
            structure_id=site.structure.id,
            employee_id=site.employee.id,
            kind=kind,
            status=ReviewStatus.VALIDATED,
            cip_synthesis="Synthèse validée",
        )
    review.validated_at = utcnow()
    review.participants.append(
        ReviewParticipant(structure_id=site.structure.id, name="Prescriptrice", organisation="CCAS")
    )
    db.session.commit()
    return review


def review_of(kind: str) -> Callable:
    def make(site) -> Locked:
        review = _validated_review(site, kind)
        assert review.is_locked
        return Locked(review, {"review_id": review.id})

    return make


def locked_assessment(site) -> Locked:
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.structure_id == site.structure.id, Assessment.locked_at.is_not(None)
        )
    )
    item = assessment.items[0]
    return Locked(assessment, {"assessment_id": assessment.id, "assessment_item_id": item.id})


def closed_interview(site) -> Locked:
    interview = site.followup["interview"]
    interview.closed_at = utcnow()
    db.session.commit()
    return Locked(interview, {"interview_id": interview.id})


def signed_attestation(site) -> Locked:
    assert site.attestation.signed_at is not None
    return Locked(site.attestation, {"attestation_id": site.attestation.id})


def _review_texts(review: Review) -> dict:
    return {
        f"{name}_seen": fingerprint(getattr(review, name))
        for name in ("eti_part", "cip_synthesis", "employee_words", "orientation")
    }


# endpoint: (the locked object, the data a valid write would send, the refusal shown)
WRITES: dict[str, tuple[Callable, Callable, str]] = {
    "s.reviews.eti_part": (
        review_of("tripartite"),
        lambda lk: {"eti_part": "Réécrit après validation", **_review_texts(lk.obj)},
        REVIEW_LOCKED,
    ),
    "s.reviews.synthesis": (
        review_of("tripartite"),
        lambda lk: {
            "cip_synthesis": "Réécrite après validation",
            "renewal": "renew",
            "renewal_months": "6",
            **_review_texts(lk.obj),
        },
        REVIEW_LOCKED,
    ),
    "s.reviews.prolongation": (
        review_of("prolongation"),
        lambda lk: {
            "actions_done": "Ajoutées après validation",
            "actions_planned": "Formation CACES",
            "requested_months": "6",
            "prolongation_motif": "fin_formation",
        },
        REVIEW_LOCKED,
    ),
    "s.reviews.add_participant": (
        review_of("tripartite"),
        lambda lk: {"name": "Nouvelle personne", "organisation": "Mission locale"},
        REVIEW_LOCKED,
    ),
    "s.reviews.remove_participant": (
        review_of("tripartite"),
        lambda lk: {"participant_id": str(lk.obj.participants[0].id)},
        REVIEW_LOCKED,
    ),
    "s.reviews.highlights": (review_of("tripartite"), lambda lk: {}, REVIEW_LOCKED),
    "s.reviews.followup": (
        review_of("tripartite"),
        lambda lk: {"followup_id": str(uuid.uuid4()), "outcome": "done"},
        REVIEW_LOCKED,
    ),
    "s.reviews.disclose": (
        review_of("tripartite"),
        lambda lk: {"item": f"frein:{uuid.uuid4()}"},
        REVIEW_LOCKED,
    ),
    "s.reviews.withdraw": (
        review_of("tripartite"),
        lambda lk: {"item": f"frein:{uuid.uuid4()}"},
        REVIEW_LOCKED,
    ),
    "s.reviews.step": (
        review_of("tripartite"),
        lambda lk: {"to": "held"},
        "Ce bilan est « Validé » : il ne peut pas passer à « Tenu ».",
    ),
    "s.reviews.recompile": (
        review_of("tripartite"),
        lambda lk: {},
        "Seul un brouillon peut être recompilé.",
    ),
    "s.evaluations.set_item": (
        locked_assessment,
        lambda lk: {f"l{lk.obj.items[0].position}-comment": "Corrigé après validation"},
        ASSESSMENT_LOCKED,
    ),
    "s.evaluations.seen": (locked_assessment, lambda lk: {}, ASSESSMENT_LOCKED),
    "s.evaluations.validate_eti": (locked_assessment, lambda lk: {}, ASSESSMENT_LOCKED),
    "s.evaluations.validate_cip": (locked_assessment, lambda lk: {}, ASSESSMENT_LOCKED),
    "s.interviews.edit_interview": (
        closed_interview,
        lambda lk: {
            "held_on": lk.obj.held_on.isoformat(),
            "kind": lk.obj.kind,
            "summary": "Compte rendu réécrit",
            "version_id": str(lk.obj.version_id),
        },
        INTERVIEW_LOCKED,
    ),
    "s.interviews.close": (closed_interview, lambda lk: {}, "Cet entretien est déjà clôturé."),
    "s.attestations.refresh": (
        signed_attestation,
        lambda lk: {},
        "Une attestation signée ne change plus : son contenu est figé.",
    ),
    "s.attestations.sign": (
        signed_attestation,
        lambda lk: {
            "signer_name": "Nouvelle signataire",
            "signed_on": date.today().isoformat(),
            "signed_place": "Orléans",
        },
        "Cette attestation est déjà signée : son contenu est figé.",
    ),
}


def test_every_write_route_of_a_locked_object_is_checked(app):
    writes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and any(arg in rule.arguments for arg in LOCKED_ARGS)
    }
    assert writes - WAYS_OUT - TESTED_ELSEWHERE == set(WRITES)
    assert set(ID_ARGS) >= set(LOCKED_ARGS)


def _snapshot(obj) -> dict:
    """The row's columns, the rows that belong to it, and its history lines."""
    db.session.expire_all()
    row = db.session.get(type(obj), obj.id)
    state = {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs}
    key = f"{type(obj).__table__.name[:-1]}_id"  # reviews → review_id
    for table in db.metadata.sorted_tables:
        if key in table.c and table.name != "change_records":
            state[table.name] = db.session.scalar(
                select(func.count()).select_from(table).where(table.c[key] == obj.id)
            )
    state["history"] = db.session.scalar(
        select(func.count()).select_from(ChangeRecord).where(ChangeRecord.entity_id == obj.id)
    )
    return state


def _path(app, endpoint: str, site, url_values: dict) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, structure_slug=site.slug, **url_values)


@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_a_locked_object_refuses_the_write(app, world, client_for, endpoint):
    make, data, message = WRITES[endpoint]
    site = world.a
    locked = make(site)
    before = _snapshot(locked.obj)
    client = client_for(site.member("all"))
    answer = client.post(_path(app, endpoint, site, locked.url_values), data=data(locked))
    if answer.status_code == 303:  # a button: the refusal is flashed on the page it goes to
        shown = client.get(answer.location)
        assert shown.status_code == 200
        assert f'<p class="flash flash-error">{message}</p>' in text_of(shown), endpoint
    else:  # a form: the page again, the refusal said where the reader looks
        assert answer.status_code in (409, 422), answer.status_code
        page = text_of(answer)
        assert message in page, f"{endpoint}: refus non affiché"
        assert 'role="alert"' in page or 'class="error"' in page
    assert _snapshot(locked.obj) == before
