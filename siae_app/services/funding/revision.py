"""The revision of a structure's figures: a counter that every commit changing its data bumps.

The dashboard's figures are cached under (structure, revision, year, day): a commit that adds,
changes or deletes a row of the structure bumps ``structures.figures_revision`` in the same
transaction, so that no worker can serve figures computed before it. The bump is one UPDATE
run just before the commit (after the last flush), which keeps the row lock on the structure
for the commit only.

Every tenant table counts except those the figures never read and that change without the
data changing (a page view's access-log row, a job's progress, a sign-in), or that the
figures never read and change all day long (the chantier's observations: counted, each one
would empty the cache for the whole structure). A new table counts by default, so a forgotten
one costs a cache miss, never a stale figure; a test checks the figures read no table left out.

A second counter, ``structures.files_revision``, moves with the same changes except attendance
marks (``FILES``): what reads the salariés' files but no mark (the alerts' lines, the « fin dans
N semaines » list) stays kept through a morning of roll calls. Each move of it is logged, after
the commit, in the figures cache: which salariés' files the transaction changed
(``take_logged``, ``figures_cache.changed``), so that a value kept per salarié can be brought
up to date for those alone. Where that is not
known (a bulk statement, a row of no salarié, the structure's settings) the log says so, and
a missing entry (expired, Redis down, another process's memory) means the same.

A third, ``structures.dashboard_revision`` (``DASHBOARD``), moves only with the tables the
dashboard's figures read (``DASHBOARD_READS``; a test checks that list against what they read):
the day's actions, entretiens, évaluations and pointages leave them kept.
"""

from __future__ import annotations

import uuid

from sqlalchemy import case, event, inspect, select, update
from sqlalchemy.orm import InstrumentedAttribute, ORMExecuteState, Session

from siae_app import tenancy
from siae_app.models import (
    AccessLog,
    AlertSnooze,
    AnnualReport,
    Attendance,
    AttestationBatch,
    Barrier,
    BarrierAxis,
    ChangeRecord,
    Contract,
    Employee,
    EmployeeImport,
    ExitFollowup,
    FrameworkImport,
    FundingAnnex,
    Membership,
    MembershipEvent,
    PaidHours,
    PassExtension,
    PassIae,
    PassSuspension,
    PreviousStay,
    Review,
    Structure,
)
from siae_app.models.attendance import MARK_HISTORY_ENTITY
from siae_app.models.base import TenantScoped
from siae_app.models.observations import Observation, ObservationCompetency

NOT_FIGURES = (
    AccessLog,
    AlertSnooze,
    AnnualReport,
    AttestationBatch,
    EmployeeImport,
    FrameworkImport,
    Membership,
    MembershipEvent,
    Observation,
    ObservationCompetency,
)
FIGURES = "figures"  # every change of the data
FILES = "files"  # every change except attendance marks
DASHBOARD = "dashboard"  # the changes of what the dashboard reads
_KEYS = {FIGURES: "figures_touched", FILES: "files_touched", DASHBOARD: "dashboard_touched"}
_COLUMNS = {
    FIGURES: Structure.figures_revision,
    FILES: Structure.files_revision,
    DASHBOARD: Structure.dashboard_revision,
}
# What the dashboard's figures read (services.funding.dashboard._compute without the
# attendance rate, which is read apart), the structure's own row aside; of the history, the
# lines of the freins (« levés dans l'année »).
DASHBOARD_READS = (
    Barrier,
    BarrierAxis,
    Contract,
    Employee,
    ExitFollowup,
    FundingAnnex,
    PaidHours,
    PassExtension,
    PassIae,
    PassSuspension,
    PreviousStay,
    Review,
)
DASHBOARD_HISTORY = frozenset({"frein"})
_ALL = "all"
_EMPLOYEES = "files_employees"  # {structure id: salarié ids changed, or None: not known}
_LOGGED = "files_logged"  # {(structure id, files revision): those ids}, to log once committed
_READ = "revisions_read"  # {structure id: {kind: revision}} as read in this transaction


def counts(obj: object) -> bool:
    """Whether a change to ``obj`` can change a structure's figures."""
    return isinstance(obj, Structure) or counts_class(type(obj))


def touched(session: Session, kind: str = FIGURES) -> set:
    """The structures this session's transaction changed so far (ids, or ``"all"``); with
    ``FILES``, those changed otherwise than by attendance marks."""
    return session.info.setdefault(_KEYS[kind], set())


def current(session: Session, structure_id: uuid.UUID, kind: str = FIGURES) -> int:
    """The revision as the database had it at the transaction's first read (a loaded
    ``Structure`` may be older: the bump does not go through the ORM). The three counters are
    read together, once per transaction: a page keeping values under two of them (the alerts,
    the dashboard) pays one query. Reading once is as safe as reading each time: the data read
    after it can only be newer than the number, never older."""
    read = session.info.setdefault(_READ, {})
    if structure_id not in read:
        row = session.execute(select(*_COLUMNS.values()).where(Structure.id == structure_id))
        read[structure_id] = dict(zip(_COLUMNS, row.one(), strict=True))
    return read[structure_id][kind]


def _note(
    session: Session,
    structure_id,
    mark: bool,
    employees: set | None = None,
    dashboard: bool = True,
) -> None:
    """``structure_id`` changed (a mark, or ``employees``' files; None: any of them), and
    what the dashboard reads if ``dashboard``."""
    touched(session).add(structure_id)
    if mark:
        return
    if dashboard:
        touched(session, DASHBOARD).add(structure_id)
    touched(session, FILES).add(structure_id)
    found = session.info.setdefault(_EMPLOYEES, {})
    if structure_id in found and found[structure_id] is None:
        return
    found[structure_id] = None if employees is None else found.get(structure_id, set()) | employees


def _employees_of(obj: object) -> set | None:
    """The salariés whose files a change of ``obj`` touches (before and after it); None when
    the row names none."""
    if isinstance(obj, Employee):
        return {obj.id}
    if not isinstance(getattr(type(obj), "employee_id", None), InstrumentedAttribute):
        return None
    history = inspect(obj).attrs.employee_id.history
    ids = {i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None}
    return ids or None


def _read_by_dashboard(obj: object) -> bool:
    if isinstance(obj, ChangeRecord):
        return obj.entity in DASHBOARD_HISTORY
    return isinstance(obj, (Structure, *DASHBOARD_READS))


def _is_mark(obj: object) -> bool:
    """An attendance mark, or the history line of a change to one (written with it)."""
    if isinstance(obj, ChangeRecord):
        return obj.entity == MARK_HISTORY_ENTITY
    return isinstance(obj, Attendance)


def _structure_of(obj: object) -> uuid.UUID | None:
    return obj.id if isinstance(obj, Structure) else obj.structure_id


def _after_flush(session: Session, _flush_context) -> None:
    for obj in (*session.new, *session.deleted, *session.dirty):
        if not counts(obj):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Structure) and not _settings_changed(obj):
            continue
        structure_id = _structure_of(obj)
        if structure_id is not None:
            mark, dashboard = _is_mark(obj), _read_by_dashboard(obj)
            _note(session, structure_id, mark, _employees_of(obj), dashboard)


def _settings_changed(structure: Structure) -> bool:
    """A structure's own row counts unless only its revisions moved."""
    state = inspect(structure)
    revisions = {"figures_revision", "files_revision", "dashboard_revision"}
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in revisions)


def _bulk_write(state: ORMExecuteState) -> None:
    """``insert()``/``update()``/``delete()`` statements on a tenant table: the active
    structure changed, or all of them in the system scope (the only one where the tenancy
    lets an UPDATE or DELETE statement through)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None or not counts_class(mapper.class_):
        return
    tenant = tenancy.current_tenant(state.session)
    mark = issubclass(mapper.class_, Attendance)
    dashboard = issubclass(mapper.class_, (ChangeRecord, *DASHBOARD_READS))
    structure_id = tenant if isinstance(tenant, uuid.UUID) else _ALL
    _note(state.session, structure_id, mark, dashboard=dashboard)


def counts_class(cls: type) -> bool:
    return issubclass(cls, TenantScoped) and not issubclass(cls, NOT_FIGURES)


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    changed = session.info.pop(_KEYS[FIGURES], None)
    files = session.info.pop(_KEYS[FILES], None) or set()
    dashboard = session.info.pop(_KEYS[DASHBOARD], None) or set()
    employees = session.info.pop(_EMPLOYEES, None) or {}
    if not changed:
        return
    # One statement: the other counters move with the figures' one, for the structures whose
    # files (not only marks) or whose dashboard's tables changed.
    bump = update(Structure).values(
        figures_revision=Structure.figures_revision + 1,
        files_revision=Structure.files_revision + _step(files),
        dashboard_revision=Structure.dashboard_revision + _step(dashboard),
    )
    if _ALL not in changed:
        # Sorted: two transactions touching the same structures lock them in the same order.
        bump = bump.where(Structure.id.in_(sorted(changed, key=str)))
    # ``structures`` is not a tenant table: no filter, no row-level security on it.
    options = {"synchronize_session": False}
    if not files or _ALL in files:  # a bulk statement in the system scope: nothing logged
        session.execute(bump, execution_options=options)
        return
    moved = session.execute(
        bump.returning(Structure.id, Structure.files_revision), execution_options=options
    )
    session.info[_LOGGED] = {
        (structure_id, number): employees.get(structure_id)
        for structure_id, number in moved
        if structure_id in files
    }


def _step(structures: set):
    """1 for the structures of ``structures`` (all of them with ``_ALL``), 0 for the others."""
    if _ALL in structures:
        return 1
    if not structures:
        return 0
    return case((Structure.id.in_(sorted(structures, key=str)), 1), else_=0)


def take_logged(session: Session) -> dict:
    """Once committed: {(structure id, files revision): the salariés whose files the
    transaction changed (ids), or None when not known}, taken from the session (logged by
    ``figures_cache``)."""
    return session.info.pop(_LOGGED, None) or {}


def _forget(session: Session, *_args) -> None:
    for key in (*_KEYS.values(), _EMPLOYEES, _LOGGED, _READ):
        session.info.pop(key, None)


def _forget_read(session: Session) -> None:
    """The next transaction reads the revisions again (the log is taken by figures_cache)."""
    session.info.pop(_READ, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _bulk_write)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_rollback", _forget)
event.listen(Session, "after_commit", _forget_read)
