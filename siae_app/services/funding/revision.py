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
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from siae_app import tenancy
from siae_app.models import (
    AccessLog,
    AlertSnooze,
    AnnualReport,
    AttestationBatch,
    EmployeeImport,
    FrameworkImport,
    Membership,
    MembershipEvent,
    Structure,
)
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
_KEY = "figures_touched"
_ALL = "all"


def counts(obj: object) -> bool:
    """Whether a change to ``obj`` can change a structure's figures."""
    return isinstance(obj, Structure) or counts_class(type(obj))


def touched(session: Session) -> set:
    """The structures this session's transaction changed so far (ids, or ``"all"``)."""
    return session.info.setdefault(_KEY, set())


def current(session: Session, structure_id: uuid.UUID) -> int:
    """The revision as the database has it now (a loaded ``Structure`` may be older: the
    bump does not go through the ORM)."""
    return session.scalar(select(Structure.figures_revision).where(Structure.id == structure_id))


def _structure_of(obj: object) -> uuid.UUID | None:
    return obj.id if isinstance(obj, Structure) else obj.structure_id


def _after_flush(session: Session, _flush_context) -> None:
    changed = touched(session)
    for obj in (*session.new, *session.deleted, *session.dirty):
        if not counts(obj):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Structure) and not _settings_changed(obj):
            continue
        structure_id = _structure_of(obj)
        if structure_id is not None:
            changed.add(structure_id)


def _settings_changed(structure: Structure) -> bool:
    """A structure's own row counts unless only its revision moved."""
    state = inspect(structure)
    return any(attr.history.has_changes() for attr in state.attrs if attr.key != "figures_revision")


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
    if isinstance(tenant, uuid.UUID):
        touched(state.session).add(tenant)
    else:
        touched(state.session).add(_ALL)


def counts_class(cls: type) -> bool:
    return issubclass(cls, TenantScoped) and not issubclass(cls, NOT_FIGURES)


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    changed = session.info.pop(_KEY, None)
    if not changed:
        return
    bump = update(Structure).values(figures_revision=Structure.figures_revision + 1)
    if _ALL not in changed:
        # Sorted: two transactions touching the same structures lock them in the same order.
        bump = bump.where(Structure.id.in_(sorted(changed, key=str)))
    # ``structures`` is not a tenant table: no filter, no row-level security on it.
    session.execute(bump, execution_options={"synchronize_session": False})


def _forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _bulk_write)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_rollback", _forget)
