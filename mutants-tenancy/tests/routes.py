"""What the route sweeps need to know about URL arguments.

Every uuid argument of a structure route must be listed in ID_ARGS: a function that returns
the id of a real object of that kind in the given site. A new route with a new argument
fails the sweep until it is listed here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.routing import Rule

from siae_app.extensions import db
from tests.site import Site

ID_ARGS: dict[str, Callable[[Site], object]] = {
    "membership_id": lambda site: site.member("target").id,
    "team_id": lambda site: site.team.id,
    "activity_id": lambda site: site.activity.id,
    "framework_id": lambda site: site.framework.id,
    "block_id": lambda site: site.framework.blocks[0].id,
    "competency_id": lambda site: site.framework.competencies[0].id,
    "criterion_id": lambda site: site.framework.competencies[0].criteria[0].id,
    "import_id": lambda site: site.draft.id,
    "scale_id": lambda site: site.scale.id,
    "level_id": lambda site: site.scale.levels[-1].id,
    "employee_id": lambda site: site.employee.id,
    "contract_id": lambda site: site.employee.contracts[0].id,
    "pass_id": lambda site: site.employee.passes[0].id,
    "barrier_id": lambda site: site.followup["barrier"].id,
    "axis_id": lambda site: site.followup["axis"].id,
    "action_id": lambda site: site.followup["action"].id,
    "partner_id": lambda site: site.followup["partner"].id,
    "item_id": lambda site: site.followup["item"].id,
    "template_item_id": lambda site: site.followup["item"].template_item_id,
    "interview_id": lambda site: site.followup["interview"].id,
    "objective_id": lambda site: site.followup["objective"].id,
    "urgent_id": lambda site: site.urgent.id,
    "review_id": lambda site: site.review.id,
    "attestation_id": lambda site: site.attestation.id,
    "batch_id": lambda site: site.attestation_batch.id,
    "grid_id": lambda site: site.evaluations["grid"].id,
    "grid_item_id": lambda site: site.evaluations["grid_item"].id,
    "assessment_id": lambda site: site.evaluations["assessment"].id,
    "assessment_item_id": lambda site: site.evaluations["assessment_item"].id,
    "goal_id": lambda site: site.evaluations["goal"].id,
    "seance_id": lambda site: site.evaluations["seance"].id,
    "annex_id": lambda site: site.annex.id,
    "report_id": lambda site: site.annual_report.id,
}

# Routes that answer only about an object in a given state, by endpoint: the sweeps ask them
# about such an object (the world's bilan is validated; the preview answers before that).
STATE_ARGS: dict[str, dict[str, Callable[[Site], object]]] = {
    "s.reviews.preview": {"review_id": lambda site: site.unvalidated_review.id},
}

# Arguments that are not object ids (value used to build the URL).
PLAIN_ARGS: dict[str, Callable[[Site], object]] = {
    "structure_slug": lambda site: site.slug,
}

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def structure_rules(app: Flask) -> Iterator[Rule]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("s."):
            yield rule


def build_path(app: Flask, rule: Rule, site: Site, id_site: Site | None = None) -> str:
    """The URL of ``rule`` in ``site``, with the object ids taken from ``id_site``."""
    id_site = id_site or site
    values = {}
    for arg in rule.arguments:
        if arg in PLAIN_ARGS:
            values[arg] = PLAIN_ARGS[arg](site)
        elif arg in STATE_ARGS.get(rule.endpoint, {}):
            values[arg] = STATE_ARGS[rule.endpoint][arg](id_site)
        elif arg in ID_ARGS:
            values[arg] = ID_ARGS[arg](id_site)
        else:
            raise AssertionError(
                f"La route {rule.rule} prend l'argument « {arg} » : ajoutez-le à "
                "tests/routes.py (ID_ARGS) pour que les balayages la couvrent."
            )
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def methods(rule: Rule) -> list[str]:
    return sorted(set(rule.methods or ()) - SKIPPED_METHODS)


@contextmanager
def undone(connection) -> Iterator[None]:
    """Run the block in a SAVEPOINT of the test's connection, rolled back after it: what the
    block's requests changed (an empty POST that clears a team's supervisors, a deletion) is
    gone before the next block, so a sweep does not depend on the order of the routes.

    The session's own savepoint ends first (kept: the world is in it), so that this one
    encloses every savepoint the requests open; after the rollback the session forgets the
    values it had loaded.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        if session.in_transaction():
            session.rollback()
        savepoint.rollback()
        session.expire_all()
