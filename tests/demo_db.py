"""The demo database: one per session, beside the test database, holding the demo data.

Loading the demo is the suite's slowest set-up; the tests about the demo (marked ``demo``)
share one load instead of paying their own. It is loaded twice through `flask demo load`, as
an operator would run it again, and each load's output and row counts are kept, so the
idempotence tests compare the two loads. A ``demo`` test runs inside a rolled-back
transaction of this database (conftest's ``_transaction``): what it changes (a purge) is gone
after it, as in the test database.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import psycopg
from psycopg import sql
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from siae_app import create_app
from siae_app.extensions import db
from tests.site import ON_POSTGRES, PG_OWNER_URL, test_config

LOADS = 2


@dataclass
class Load:
    """One `flask demo load`: its exit code, its output, and each table's rows after it."""

    exit_code: int
    output: str
    counts: dict[str, int]


@dataclass
class DemoDatabase:
    url: str
    app: object  # the Flask app bound to this database (its engine serves the tests)
    loads: list[Load] = field(default_factory=list)

    @property
    def engine(self):
        with self.app.app_context():
            return db.engine

    @property
    def sqlite_path(self) -> str | None:
        url = make_url(self.url)
        return url.database if url.get_backend_name() == "sqlite" else None


def _server():
    url = make_url(PG_OWNER_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        dbname="postgres",
        autocommit=True,
    )


def pg_name(suffix: str = "demo") -> str:
    return f"{make_url(PG_OWNER_URL).database}_{suffix}"


def create_empty(tmp_path_factory, suffix: str = "demo") -> str:
    """The URL of an empty database beside the test one (PostgreSQL: named after it), for the
    demo or another session-wide data set (tests/world_db.py)."""
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path_factory.mktemp(suffix) / f'{suffix}.sqlite'}"
    name = sql.Identifier(pg_name(suffix))
    with _server() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return (
        make_url(PG_OWNER_URL).set(database=pg_name(suffix)).render_as_string(hide_password=False)
    )


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def load(url: str) -> DemoDatabase:
    """Load the demo into the migrated database at ``url``, LOADS times, as the CLI does."""
    demo = DemoDatabase(url=url, app=create_app(test_config(url)))
    runner = demo.app.test_cli_runner()
    for _ in range(LOADS):
        result = runner.invoke(args=["demo", "load"])
        with demo.app.app_context():
            demo.loads.append(Load(result.exit_code, result.output, _counts()))
            db.session.remove()
    return demo


def drop(demo, suffix: str = "demo") -> None:
    """Drop a database create_empty made; ``demo`` is what holds its app."""
    with demo.app.app_context():
        db.engine.dispose()
    if ON_POSTGRES:
        with _server() as conn, contextlib.suppress(psycopg.Error):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(pg_name(suffix))
                )
            )


def structures(session) -> list:
    """The demo's two structures, as the test's session sees them: a ``demo`` test that ran on
    another database (its mark forgotten) fails here instead of looping over nothing."""
    from siae_app.demo import STRUCTURES
    from siae_app.models import Structure

    found = session.scalars(select(Structure).order_by(Structure.slug)).all()
    assert sorted(s.slug for s in found) == sorted(s["slug"] for s in STRUCTURES), found
    return found
