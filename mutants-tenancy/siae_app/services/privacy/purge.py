"""The purge: the register's durations applied to one structure (``flask rgpd purge``).

Each rule of the register ends its rows in its own way (siae_app/privacy/registry.py):

- accompaniment: a salarié whose last contact is older than the duration loses the texts of
  their file (coordonnées, observations, notes, comptes rendus, bilans' compiled periods and
  parts, attestations never signed, the change history's values of those parts); the rows
  that the funders' counts read stay as facts without content;
- employment: once the duration after the end of their last contract has passed, the salarié
  is anonymised (name, birth date, PASS number, every history value), their age band at
  entry kept for the counts;
- attestation: a signed attestation older than the duration loses its content and its PDF,
  and the public page says it has expired;
- access log and work files: rows deleted.

It runs in the system scope (the owner's connection, which may change record tables) and
flushes; the command commits, or rolls back for a dry run. Each rule that touched something
writes one ``PurgeRecord``: counts per table, never whose.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    AccessLog,
    Action,
    Attendance,
    Attestation,
    AttestationBatch,
    AttestationStatus,
    Contract,
    Employee,
    EmployeeImport,
    ExitFollowup,
    Immersion,
    Interview,
    Observation,
    PurgeRecord,
    Review,
    Structure,
)
from siae_app.privacy.registry import ENTRIES, Ending, Entry, Rule, entries_of
from siae_app.privacy.rows import rows as _rows
from siae_app.privacy.rows import table_of
from siae_app.services.employees.dates import add_months
from siae_app.services.funding import details
from siae_app.services.privacy import retention

# History entries that belong to the employment records (kept until the anonymisation), and
# the salarié's own fields that go with the accompaniment.
EMPLOYMENT_ENTITIES = ("contract", "pass", "paid_hours", "attendance", "hours")
# History values that are codes the funders' counts read (a frein « levé » in the year): kept.
COUNTED_HISTORY = (("frein", "statut"),)
ANONYMOUS = "ANONYME"


@dataclass
class Due:
    """One salarié a rule reaches: the date the duration counts from, the rows per table."""

    employee_id: uuid.UUID
    name: str
    since: date
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a rule did (or would do) in one structure."""

    rule: Rule
    months: int
    cutoff: date
    due: list[Due] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _table(name: str) -> Table:
    return table_of(name)


def _empty(table: Table, column: str):
    col = table.columns[column]
    if col.nullable:
        return None
    if col.default is not None and callable(col.default.arg):
        return col.default.arg(None)  # the JSON column's empty dict or list
    return ""


# ------------------------------------------------------------------ who is due


def last_contacts(session: Session, structure_id: uuid.UUID) -> dict[uuid.UUID, date]:
    """The last contact with each salarié: their file's latest dated event (fixed number of
    grouped queries, whatever the number of salariés)."""
    sid = structure_id
    sources = [
        select(Employee.id, func.max(func.coalesce(Employee.exit_date, Employee.entry_date)))
        .where(Employee.structure_id == sid)
        .group_by(Employee.id),
        select(
            Contract.employee_id,
            func.max(func.coalesce(Contract.ended_early_on, Contract.end_date)),
        )
        .where(Contract.structure_id == sid)
        .group_by(Contract.employee_id),
        select(Attendance.employee_id, func.max(Attendance.day))
        .where(Attendance.structure_id == sid)
        .group_by(Attendance.employee_id),
        select(Observation.employee_id, func.max(Observation.observed_on))
        .where(Observation.structure_id == sid)
        .group_by(Observation.employee_id),
        select(Interview.employee_id, func.max(Interview.held_on))
        .where(Interview.structure_id == sid)
        .group_by(Interview.employee_id),
        select(Review.employee_id, func.max(Review.held_on))
        .where(Review.structure_id == sid)
        .group_by(Review.employee_id),
        select(Action.employee_id, func.max(Action.due_date))
        .where(Action.structure_id == sid, Action.status == "faite")
        .group_by(Action.employee_id),
        select(Immersion.employee_id, func.max(Immersion.end_date))
        .where(Immersion.structure_id == sid)
        .group_by(Immersion.employee_id),
        select(ExitFollowup.employee_id, func.max(ExitFollowup.checked_on))
        .where(ExitFollowup.structure_id == sid)
        .group_by(ExitFollowup.employee_id),
    ]
    latest: dict[uuid.UUID, date] = {}
    for stmt in sources:
        for employee_id, day in session.execute(stmt):
            if day is not None and (employee_id not in latest or day > latest[employee_id]):
                latest[employee_id] = day
    # A file with no dated event at all: the day it was created.
    created = session.execute(
        select(Employee.id, Employee.created_at).where(Employee.structure_id == sid)
    )
    for employee_id, at in created:
        latest.setdefault(employee_id, at.date())
    return latest


def employment_ends(
    session: Session, structure_id: uuid.UUID, ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, date]:
    """The end of each salarié's employment (or of those ``ids``): their last contract's end,
    or their sortie if later."""
    sid = structure_id
    contracts = (
        select(
            Contract.employee_id,
            func.max(func.coalesce(Contract.ended_early_on, Contract.end_date)),
        )
        .where(Contract.structure_id == sid)
        .group_by(Contract.employee_id)
    )
    exits = select(Employee.id, Employee.exit_date).where(
        Employee.structure_id == sid, Employee.exit_date.is_not(None)
    )
    if ids is not None:
        contracts = contracts.where(Contract.employee_id.in_(ids))
        exits = exits.where(Employee.id.in_(ids))
    ends: dict[uuid.UUID, date] = {}
    for employee_id, day in [*session.execute(contracts), *session.execute(exits)]:
        if day is not None and (employee_id not in ends or day > ends[employee_id]):
            ends[employee_id] = day
    return ends


def _names(session: Session, ids) -> dict[uuid.UUID, str]:
    rows = session.scalars(select(Employee).where(Employee.id.in_(ids)))
    return {e.id: e.display_name for e in rows}


def _due(session, since: dict[uuid.UUID, date], months: int, today: date, among) -> list[Due]:
    ids = [i for i, day in since.items() if i in among and add_months(day, months) <= today]
    names = _names(session, ids)
    return sorted((Due(i, names[i], since[i]) for i in ids), key=lambda d: (d.since, d.name))


# ------------------------------------------------------------------ what the rules do


def _apply(session, entries, sid, due: list[Due], dry_run: bool, extra=None) -> dict[str, int]:
    """Scrub or delete the entries' rows of these salariés (one count and one statement per
    entry); count them per table and per salarié (the dry run's list)."""
    ids = [d.employee_id for d in due]
    by_id = {d.employee_id: d for d in due}
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.ending not in (Ending.SCRUB, Ending.DELETE) or not ids:
            continue
        rows = _rows(entry, sid, ids, (extra or {}).get(entry.table)).subquery()
        per = session.execute(
            select(rows.c.employee_id, func.count()).group_by(rows.c.employee_id)
        ).all()
        for employee_id, n in per:
            mine = by_id[employee_id].counts
            mine[entry.table] = mine.get(entry.table, 0) + n
            counts[entry.table] += n
        if dry_run or not per:
            continue
        table = _table(entry.table)
        chosen = table.c.id.in_(select(rows.c.id))
        if entry.ending == Ending.DELETE:
            session.execute(delete(table).where(chosen))
        else:
            values = {c: _empty(table, c) for c in entry.columns}
            if "version_id" in table.columns:  # an open form on these rows is now stale
                values["version_id"] = table.c.version_id + 1
            session.execute(update(table).where(chosen).values(**values))
    return dict(counts)


def _accompaniment_history():
    """The change history's values that go with the accompaniment (not the employment's)."""
    contact = next(e for e in ENTRIES if e.table == "employees" and e.rule == Rule.ACCOMPANIMENT)
    t = _table("change_records")
    return and_(
        or_(
            t.c.sensitive.is_(True),
            and_(t.c.entity != "employee", t.c.entity.not_in(EMPLOYMENT_ENTITIES)),
            and_(t.c.entity == "employee", t.c.field.in_(contact.columns)),
        ),
        _not_counted(t),
    )


def _not_counted(t: Table):
    return ~or_(*(and_(t.c.entity == e, t.c.field == f) for e, f in COUNTED_HISTORY))


def _unsigned_attestations():
    t = _table("attestations")
    return t.c.signed_at.is_(None)


def erase_accompaniment(
    session, sid, due: list[Due], today: date, dry_run: bool, *, history: bool = True
) -> dict:
    """Erase the texts of these salariés' files. ``history=False`` (an erasure asked through
    the web, whose database role may not change the change history): the history's values
    of those parts are left to the next purge (``leftover_history``)."""
    entries = [*entries_of(Rule.ACCOMPANIMENT)]
    records = [e for e in ENTRIES if e.table == "change_records" and history]
    attestations = next(e for e in ENTRIES if e.table == "attestations")
    unsigned = Entry(  # never signed, never given: it goes with the file's texts
        "attestations",
        attestations.label,
        attestations.category,
        Rule.ACCOMPANIMENT,
        Ending.DELETE,
        attestations.holds,
    )
    counts = _apply(
        session,
        [*entries, *records, unsigned],
        sid,
        due,
        dry_run,
        extra={
            "change_records": _accompaniment_history(),
            "attestations": _unsigned_attestations(),
        },
    )
    if not dry_run and due:
        people = _table("employees")
        session.execute(
            # The table, not the ORM entity: an erasure asked through the web runs in its
            # structure's scope, where the ORM refuses bulk statements (this one names the
            # structure; on PostgreSQL, row-level security holds it there too).
            update(people)
            .where(people.c.structure_id == sid, people.c.id.in_([d.employee_id for d in due]))
            .values(accompaniment_erased_on=today, version_id=people.c.version_id + 1)
        )
    return counts


def leftover_history(session, sid, today: date, dry_run: bool) -> tuple[list[Due], dict]:
    """The history values of files already erased (through an erasure request) that still
    hold a value of the erased parts: erased by the owner's purge."""
    t = _table("change_records")
    left = and_(
        _accompaniment_history(), or_(t.c.old_value.is_not(None), t.c.new_value.is_not(None))
    )
    ids = session.scalars(
        select(t.c.employee_id)
        .join(Employee, Employee.id == t.c.employee_id)
        .where(
            t.c.structure_id == sid,
            Employee.accompaniment_erased_on.is_not(None),
            Employee.anonymised_on.is_(None),
            left,
        )
        .distinct()
    ).all()
    names = _names(session, ids)
    due = [Due(i, names[i], today) for i in ids]
    entry = next(e for e in ENTRIES if e.table == "change_records")
    return due, _apply(session, [entry], sid, due, dry_run, extra={"change_records": left})


def anonymise(session, sid, due: list[Due], today: date, dry_run: bool) -> dict:
    """Erase what identifies the salarié; their age band at entry stays for the counts."""
    history = {"change_records": _not_counted(_table("change_records"))}
    counts = _apply(session, entries_of(Rule.EMPLOYMENT), sid, due, dry_run, extra=history)
    for d in due:
        d.counts["employees"] = 1
    if due:
        counts["employees"] = len(due)
    if dry_run or not due:
        return counts
    ids = [d.employee_id for d in due]
    employees = session.scalars(
        select(Employee)
        .where(Employee.id.in_(ids))
        .options(selectinload(Employee.contracts))  # the parcours' start, for the age band
        .execution_options(populate_existing=True)
    ).all()
    bands: dict[str, list[uuid.UUID]] = defaultdict(list)
    for employee in employees:  # computed from rows loaded once, together
        bands[details.age_band(employee)].append(employee.id)
    for band, members in bands.items():
        session.execute(
            update(Employee)
            .where(Employee.id.in_(members))
            .values(age_band=band)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(Employee)
        .where(Employee.id.in_(ids))
        .values(
            last_name=ANONYMOUS,
            first_name=func.substr(func.cast(Employee.id, Employee.last_name.type), 1, 8),
            usage_name=None,
            birth_date=None,
            anonymised_on=today,
            version_id=Employee.version_id + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return counts


# ------------------------------------------------------------------ one structure


def run(
    session: Session,
    structure: Structure,
    today: date,
    *,
    dry_run: bool = False,
    command: str = "flask rgpd purge",
) -> list[Outcome]:
    """Every rule of the register in ``structure``; a PurgeRecord per rule that did something."""
    sid = structure.id
    months = {rule: d.months for rule, d in retention.durations(session, sid).items()}
    outcomes: list[Outcome] = []

    # 1. The accompaniment, 2 years after the last contact (and before any anonymisation).
    contacts = last_contacts(session, sid)
    not_erased = set(
        session.scalars(
            select(Employee.id).where(
                Employee.structure_id == sid, Employee.accompaniment_erased_on.is_(None)
            )
        )
    )
    rule = Rule.ACCOMPANIMENT
    out = Outcome(rule, months[rule], add_months(today, -months[rule]))
    out.due = _due(session, contacts, months[rule], today, not_erased)
    out.counts = erase_accompaniment(session, sid, out.due, today, dry_run)
    late_history, counts = leftover_history(session, sid, today, dry_run)
    out.due += late_history
    out.counts = _merge(out.counts, counts)
    outcomes.append(out)

    # 2. The person, 5 years after the end of the employment (their texts go first).
    rule = Rule.EMPLOYMENT
    not_anonymous = set(
        session.scalars(
            select(Employee.id).where(
                Employee.structure_id == sid, Employee.anonymised_on.is_(None)
            )
        )
    )
    out = Outcome(rule, months[rule], add_months(today, -months[rule]))
    ends = employment_ends(session, sid)
    for employee_id, day in contacts.items():  # never employed: the last contact
        ends.setdefault(employee_id, day)
    out.due = _due(session, ends, months[rule], today, not_anonymous)
    erased_now = {d.employee_id for d in outcomes[0].due}
    late = [
        Due(d.employee_id, d.name, d.since)
        for d in out.due
        if d.employee_id in not_erased and d.employee_id not in erased_now
    ]
    first = erase_accompaniment(session, sid, late, today, dry_run)
    out.counts = _merge(first, anonymise(session, sid, out.due, today, dry_run))
    outcomes.append(out)

    # 3. Signed attestations, then 4. the access log and the work files, by their own dates.
    outcomes.append(_attestations(session, sid, months[Rule.ATTESTATION], today, dry_run))
    outcomes.append(_access_log(session, sid, months[Rule.ACCESS_LOG], today, dry_run))
    outcomes.append(_work_files(session, sid, months[Rule.WORK_FILES], today, dry_run))

    if not dry_run:
        for out in outcomes:
            if out.total:
                session.add(
                    PurgeRecord(
                        structure_id=sid,
                        rule=out.rule.value,
                        months=out.months,
                        cutoff=out.cutoff,
                        people=len(out.due),
                        counts=out.counts,
                        command=command[:200],
                    )
                )
        session.flush()
    return outcomes


def _merge(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _attestations(session, sid, months: int, today: date, dry_run: bool) -> Outcome:
    out = Outcome(Rule.ATTESTATION, months, add_months(today, -months))
    where = and_(
        Attestation.structure_id == sid,
        Attestation.signed_on.is_not(None),
        Attestation.signed_on <= out.cutoff,
        Attestation.expired_on.is_(None),
        Attestation.status.in_([AttestationStatus.SIGNED, AttestationStatus.REVOKED]),
    )
    n = session.scalar(select(func.count()).select_from(Attestation).where(where)) or 0
    if n:
        out.counts = {"attestations": n}
        if not dry_run:
            session.execute(
                update(Attestation)
                .where(where)
                .values(
                    content={},
                    pdf=None,
                    revocation_motif=None,
                    expired_on=today,
                    version_id=Attestation.version_id + 1,
                )
            )
    return out


def _access_log(session, sid, months: int, today: date, dry_run: bool) -> Outcome:
    out = Outcome(Rule.ACCESS_LOG, months, add_months(today, -months))
    where = and_(AccessLog.structure_id == sid, AccessLog.at < _start_of(out.cutoff))
    n = session.scalar(select(func.count()).select_from(AccessLog).where(where)) or 0
    if n:
        out.counts = {"access_logs": n}
        if not dry_run:
            session.execute(delete(AccessLog).where(where))
    return out


def _work_files(session, sid, months: int, today: date, dry_run: bool) -> Outcome:
    out = Outcome(Rule.WORK_FILES, months, add_months(today, -months))
    before = _start_of(out.cutoff)
    for model, name in (
        (EmployeeImport, "employee_imports"),
        (AttestationBatch, "attestation_batches"),
    ):
        where = and_(model.structure_id == sid, model.created_at < before)
        n = session.scalar(select(func.count()).select_from(model).where(where)) or 0
        if n:
            out.counts[name] = n
            if not dry_run:
                session.execute(delete(model).where(where))
    return out
