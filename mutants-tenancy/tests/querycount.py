"""Count SQL statements sent while a block runs (to assert there is no query in a loop)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from siae_app.extensions import db


@dataclass
class Counter:
    count: int = 0
    statements: list[str] = field(default_factory=list)


@contextmanager
def count_queries():
    counter = Counter()
    engine = db.session.get_bind().engine

    def before(conn, cursor, statement, parameters, context, executemany):
        if "set_config" not in statement and not statement.startswith(("SAVEPOINT", "RELEASE")):
            counter.count += 1
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)
