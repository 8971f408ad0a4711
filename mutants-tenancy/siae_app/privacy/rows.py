"""The rows of a register entry about some salariés: the one SELECT the purge and the
person's export (« Données détenues ») both read, directly from the entry's ``via``.

An entry's rows lead to their salarié by their own ``employee_id``, by being the salarié's
row (``via="id"``), or through a parent table (a bilan's participants) or a grandparent (an
item's evidence): the joins follow the foreign keys, whatever the table.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, Table, select

from siae_app.models import Base
from siae_app.privacy.registry import ENTRIES, Entry


def table_of(name: str) -> Table:
    return Base.metadata.tables[name]


def foreign_key(child: Table, parent: Table):
    """The column of ``child`` that points at ``parent``."""
    return next(fk.parent for fk in child.foreign_keys if fk.column.table is parent)


def entry_of(table: str) -> Entry:
    """The (first) entry of a table that leads to a salarié."""
    return next(e for e in ENTRIES if e.table == table and e.via != "—")


def rows(
    entry: Entry,
    structure_id: uuid.UUID,
    ids: list[uuid.UUID],
    extra=None,
    *,
    columns=None,
) -> Select:
    """SELECT (id, employee_id) of the entry's rows about these salariés — or ``columns``
    (of the entry's table, or expressions on it) and ``employee_id`` when given."""
    table = table_of(entry.table)
    chosen = [table.c.id] if columns is None else list(columns)
    if entry.via == "id":
        owner = table.c.id
        stmt = select(*chosen, owner.label("employee_id"))
    elif entry.via == "employee_id":
        owner = table.c.employee_id
        stmt = select(*chosen)
        if columns is None or not any(c is owner for c in chosen):
            stmt = stmt.add_columns(owner)
    else:
        parent = table_of(entry.via)
        stmt = select(*chosen).join(parent, foreign_key(table, parent) == parent.c.id)
        if "employee_id" not in parent.columns:
            grand = table_of(entry_of(entry.via).via)
            stmt = stmt.join(grand, foreign_key(parent, grand) == grand.c.id)
            parent = grand
        owner = parent.c.employee_id
        stmt = stmt.add_columns(owner)
    stmt = stmt.where(table.c.structure_id == structure_id, owner.in_(ids))
    return stmt if extra is None else stmt.where(extra)
