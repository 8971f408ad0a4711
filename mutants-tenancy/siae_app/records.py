"""Record tables: what happened (access log, change history, membership events, reopenings).

They are declared once, by the ``AppendOnly`` mixin on their models (``models/base.py``);
``record_tables()`` lists them. The web process only adds and reads such rows:
- on PostgreSQL, ``flask dbrole setup`` grants the application's role SELECT and INSERT on
  them, nothing more (an SQL injection cannot rewrite or erase the history);
- in the ORM (so on SQLite too), a flush that would change or delete one raises
  ``RecordChangeError`` outside the system scope of the owner's commands (the access log's
  purge, ``flask rgpd``); bulk UPDATE and DELETE of these tenant tables are refused there by
  ``siae_app.tenancy`` already.

A record row still goes with the row it is about (a salarié deleted takes their change
history): the database's ON DELETE actions do that, and PostgreSQL runs them as the owner of
the tables, not as the application's role.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Base
from siae_app.models.base import AppendOnly


class RecordChangeError(RuntimeError):
    """A record of what happened was about to be changed or deleted outside the system scope."""


def record_tables() -> list[str]:
    """The tables of every ``AppendOnly`` model, sorted."""
    return sorted(
        {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, AppendOnly)}
    )


def _system(session: Session) -> bool:
    return tenancy.current_tenant(session) == tenancy.SYSTEM


def _refuse_changed_records(session: Session, flush_context, instances) -> None:
    if _system(session):
        return
    for obj in session.deleted:
        if isinstance(obj, AppendOnly):
            raise RecordChangeError(
                f"Suppression refusée : « {type(obj).__tablename__} » garde ce qui s'est passé."
            )
    for obj in session.dirty:
        # Only a real change counts (an attribute set to the value it had is no UPDATE).
        if isinstance(obj, AppendOnly) and session.is_modified(obj, include_collections=False):
            raise RecordChangeError(
                f"Modification refusée : « {type(obj).__tablename__} » garde ce qui s'est passé."
            )


# A call, not a decorator: mutation testing skips decorated functions (docs/mutation.md).
event.listen(Session, "before_flush", _refuse_changed_records)
