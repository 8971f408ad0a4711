"""The lines of the alerts page, kept between requests and never stale.

Computing them reads the file of every salarié of the person (all of them for the
coordination: thousands). They are kept in the figures cache (Redis in production, see
``funding.figures_cache``) per day and per person's salariés (the référent's, or all for the
coordination), with the structure's files revision they hold: every commit changing a row the
rules read moves it, except attendance marks (``funding.revision``). When it has moved, the
lines of the salariés those commits changed are computed again, and only theirs (the
revision's log); all of them when that is not known. Two things are read at every request and
applied on top: the streaks of unjustified absences (one query on a partial index: a morning
of roll calls does not make the lines be computed again at each visit), and the snoozes
(« Vu » moves no revision: a line goes at once).

Kept as plain tuples, sorted, with the tallies added up: a request reads them, adds the few
absences' alerts, takes the snoozed alerts out of the lines concerned and builds the 50 lines
it shows, no more.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from sys import intern
from typing import NamedTuple

from sqlalchemy.orm import Session

from siae_app.models import Membership, Role
from siae_app.services.alerts import (
    RANK,
    Alert,
    Line,
    absences_now,
    compute,
    load_inputs,
    snoozed,
    with_absence,
)
from siae_app.services.funding import figures_cache, revision

# Every commit changing the files (an action, a contract…) leaves the kept lines behind: they go
# sooner than the dashboard's figures (a day) so that the cache does not fill with them.
KEPT_SECONDS = 2 * 3600
# Kept lines are brought up to date salarié by salarié across this many commits at most, for
# that many salariés at most; past that, all of them are computed again.
MAX_STEPS = 50
MAX_CHANGED = 200
# A line as kept: (salarié id, display name, référent id, rank of its colour, alerts), the
# ids as text and each alert as (kind, colour, message, topic, count).
Row = tuple[str, str, str | None, int, tuple]


class Salarie(NamedTuple):
    """What the page shows of a salarié."""

    id: uuid.UUID
    display_name: str
    referent_id: uuid.UUID | None


@dataclass
class Lines:
    """Every line of the person's salariés, the most urgent first (as ``alerts.lines``),
    and their alerts' counts by topic."""

    rows: list[Row]
    totals: dict[tuple[str, str, str], int]

    def __len__(self) -> int:
        return len(self.rows)

    def plain(self) -> tuple[list[Row], dict]:
        """As kept in the cache: plain values only."""
        return self.rows, self.totals

    def page(self, start: int, stop: int) -> list[Line]:
        return [
            Line(
                Salarie(uuid.UUID(i), name, uuid.UUID(ref) if ref else None),
                [Alert(*a) for a in alerts],
            )
            for i, name, ref, _rank, alerts in self.rows[start:stop]
        ]


def current(session: Session, membership: Membership, today: date) -> Lines:
    """The lines, the absences read now, the snoozed alerts left out."""
    hidden: dict[str, set[str]] = defaultdict(set)
    for employee_id, kind in snoozed(session, today):
        hidden[str(employee_id)].add(kind)
    absent = {head[0]: (head, Alert(*alert)) for head, alert in _absent(session, membership, today)}
    kept = _unsnoozed(session, membership, today)
    if not hidden and not absent:
        return kept
    totals = defaultdict(int, kept.totals)
    rows = []
    for row in kept.rows:
        found = absent.pop(row[0], None)
        if found is None:
            rows.append(row)
            continue
        totals[(found[1].colour, *found[1].topic)] += found[1].count
        alerts = _plain(with_absence([Alert(*a) for a in row[4]], found[1]))
        rows.append((*found[0], _rank(alerts), alerts))
    for head, alert in absent.values():  # absent, and no other alert
        totals[(alert.colour, *alert.topic)] += alert.count
        alerts = _plain([alert])
        rows.append((*head, _rank(alerts), alerts))
    if hidden:
        rows = _unsnoozed_rows(rows, hidden, totals)
    rows.sort(key=_order)
    return Lines(rows, dict(totals))


def _absent(session: Session, membership: Membership, today: date) -> list[tuple]:
    """((salarié id, name, référent id), alert) of the absences' alerts, as plain tuples, kept
    under the structure's figures revision: every mark moves it, and between two marks the
    query (every salarié of the coordination's) is not run again."""
    scope = _whose(membership)
    return figures_cache.kept(
        session,
        membership.structure_id,
        f"absences:{today.isoformat()}:{scope}",
        lambda: [
            (_head(person), _plain([alert])[0])
            for person, alert in absences_now(session, membership, today)
        ],
        timeout=KEPT_SECONDS,
    )


def _whose(membership: Membership) -> str:
    """Whose salariés the kept values are: all of them for the coordination, else the CIP's."""
    return "toutes" if Role.COORDINATOR in membership.role_set else str(membership.id)


def _unsnoozed_rows(rows: list[Row], hidden: dict[str, set[str]], totals: dict) -> list[Row]:
    """The rows without the alerts « Vu » hides (a line with none left goes), ``totals``
    counted down as they go."""
    shown_rows = []
    for row in rows:
        if row[0] not in hidden:
            shown_rows.append(row)
            continue
        shown = []
        for a in row[4]:
            if a[0] in hidden[row[0]]:
                totals[(a[1], *a[3])] -= a[4]
            else:
                shown.append(a)
        if shown:
            shown_rows.append((*row[:3], _rank(shown), tuple(shown)))
    return shown_rows


def _unsnoozed(session: Session, membership: Membership, today: date) -> Lines:
    """The lines before « Vu » and without the absences, kept with the structure's files
    revision they hold (which the day's attendance marks do not move). After commits that
    changed a few files, the lines of those salariés alone are computed again (the log of
    ``figures_cache.changed``); when that is not known, all of them. A transaction that changed
    the files itself computes them and keeps nothing."""
    if revision.touched(session, revision.FILES):
        return _compute(session, membership, today)
    structure_id = membership.structure_id
    scope = _whose(membership)
    key = f"{structure_id}:alertes:{today.isoformat()}:{scope}"
    now = revision.current(session, structure_id, revision.FILES)
    found = figures_cache.get(key)
    if found is not None and found[0] == now:
        return Lines(found[1], found[2])
    lines = None
    if found is not None and 0 < now - found[0] <= MAX_STEPS:
        ids = figures_cache.changed(structure_id, found[0], now)
        if ids is not None and len(ids) <= MAX_CHANGED:
            lines = _updated(session, membership, today, Lines(found[1], found[2]), ids)
    if lines is None:
        lines = _compute(session, membership, today)
    figures_cache.put(key, (now, *lines.plain()), timeout=KEPT_SECONDS)
    return lines


def _updated(
    session: Session, membership: Membership, today: date, kept: Lines, ids: set[str]
) -> Lines:
    """``kept`` with the lines of the salariés ``ids`` computed again (gone from the person's
    salariés, or with no alert left: their line goes)."""
    totals = defaultdict(int, kept.totals)
    rows = []
    for row in kept.rows:
        if row[0] not in ids:
            rows.append(row)
            continue
        for a in row[4]:
            totals[(a[1], *a[3])] -= a[4]
    fresh = _compute(session, membership, today, [uuid.UUID(i) for i in ids])
    for key, count in fresh.totals.items():
        totals[key] += count
    rows.extend(fresh.rows)
    rows.sort(key=_order)
    return Lines(rows, {key: count for key, count in totals.items() if count})


def _compute(session: Session, membership: Membership, today: date, employee_ids=None) -> Lines:
    """The lines of the person's salariés (among ``employee_ids`` when given)."""
    rows: list[Row] = []
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    found = load_inputs(session, membership, today, employee_ids, snoozes=False, absences=False)
    for d in found:
        alerts = compute(d, today)
        if not alerts:
            continue
        for a in alerts:
            totals[(a.colour, *a.topic)] += a.count
        rows.append(_row(d.employee, _plain(alerts)))
    rows.sort(key=_order)
    return Lines(rows, dict(totals))


# The messages (« Aucun prochain rendez-vous fixé »…) and the référents' ids repeat from line
# to line: each is kept as one string (``sys.intern``), which pickle then writes once. The
# coordination's lines at 3,000 salariés: 1.07 MB → 0.35 MB in the cache, read back in 60 %
# of the time.


def _plain(alerts) -> tuple:
    return tuple((a.kind, a.colour, intern(a.message), a.topic, a.count) for a in alerts)


def _head(person) -> tuple[str, str, str | None]:
    """What a line shows of its salarié: id, name, référent's id (as text)."""
    referent = intern(str(person.referent_id)) if person.referent_id else None
    return str(person.id), person.display_name, referent


def _row(person, alerts: tuple) -> Row:
    return (*_head(person), _rank(alerts), alerts)


def _rank(alerts) -> int:
    return min(RANK[a[1]] for a in alerts)


def _order(row: Row) -> tuple[int, str]:
    return row[3], row[1]
