"""The lines of the alerts page, kept between requests and never stale.

Computing them reads the file of every salarié of the person (all of them for the
coordination: thousands). They are kept in the figures cache (Redis in production, see
``funding.figures_cache``) under the structure's figures revision, which every commit
changing a row the rules read moves (``funding.revision``), the day, and whose salariés
they are (the référent's, or all for the coordination). « Vu » does not move the revision:
the snoozes are read at every request and applied on top, so a line goes at once. Kept as
plain tuples.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session

from siae_app.models import Membership, Role
from siae_app.services.alerts import (
    RANK,
    Alert,
    Line,
    Person,
    compute,
    load_inputs,
    snoozed,
)
from siae_app.services.funding import figures_cache, revision

Found = list[tuple[Person, list[Alert]]]


def current(session: Session, membership: Membership, today: date) -> list[Line]:
    """Every line of the person's salariés, the snoozed alerts left out, the most urgent
    first (as ``alerts.lines``)."""
    hidden: dict[uuid.UUID, set[str]] = defaultdict(set)
    for employee_id, kind in snoozed(session, today):
        hidden[employee_id].add(kind)
    result = []
    for person, found in _unsnoozed(session, membership, today):
        if person.id in hidden:
            found = [a for a in found if a.kind not in hidden[person.id]]
        if found:
            result.append(Line(person, found))
    return sorted(result, key=lambda line: (RANK[line.colour], line.employee.display_name))


def key(session: Session, membership: Membership, today: date) -> str:
    scope = "toutes" if Role.COORDINATOR in membership.role_set else membership.id
    number = revision.current(session, membership.structure_id)
    return f"alertes:{membership.structure_id}:{number}:{today.isoformat()}:{scope}"


def _unsnoozed(session: Session, membership: Membership, today: date) -> Found:
    """(salarié, alerts) of those with at least one, snoozes not applied. A transaction that
    changed the data itself neither reads nor fills the cache: its revision is not the one
    its lines would be kept under. The revision is read before the data: a commit between
    the two leaves the lines under the older number, never older lines under the newer."""
    if revision.touched(session):
        return _compute(session, membership, today)
    name = key(session, membership, today)
    kept = figures_cache.get(name)
    if isinstance(kept, list):
        return _thaw(kept)
    found = _compute(session, membership, today)
    figures_cache.put(name, _freeze(found))
    return found


def _compute(session: Session, membership: Membership, today: date) -> Found:
    inputs = load_inputs(session, membership, today, snoozes=False)
    return [(d.employee, alerts) for d in inputs if (alerts := compute(d, today))]


def _freeze(found: Found) -> list[tuple]:
    return [
        (
            (p.id, p.last_name, p.usage_name, p.first_name, p.entry_date, p.exit_date),
            p.referent_id,
            [(a.kind, a.colour, a.message, a.topic, a.count) for a in alerts],
        )
        for p, alerts in found
    ]


def _thaw(kept: list[tuple]) -> Found:
    return [
        (Person(*person, referent_id), [Alert(*a) for a in alerts])
        for person, referent_id, alerts in kept
    ]
