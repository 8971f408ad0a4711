"""The test world, built once per session in a database of its own.

build_world() sends about 500 statements and two thirds of the suite asks for it. It is
built and committed once, in a database beside the test one (demo_db.create_empty); a test
that asks for ``world`` runs its rolled-back transaction there (conftest's ``_transaction``),
a test that does not never sees it. Each test gets ORM objects of its own: copies merged
without a query from pristine detached ones, so no test sees what another changed in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date

from siae_app import create_app, tenancy
from siae_app.extensions import db
from tests import demo_db
from tests.site import World, build_world, test_config

SUFFIX = "world"


@dataclass
class WorldDatabase:
    url: str
    app: object  # the Flask app bound to this database (its engine serves the tests)
    pristine: World  # detached, never attached to a test's session

    @property
    def engine(self):
        with self.app.app_context():
            return db.engine


def create_empty(tmp_path_factory) -> str:
    return demo_db.create_empty(tmp_path_factory, SUFFIX)


def build(url: str, joined_session) -> WorldDatabase:
    """Build the world in the migrated database at ``url`` as a test would (a session joined
    to an outer transaction by ``joined_session(connection)``), then commit it."""
    app = create_app(test_config(url))
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = joined_session(connection)
    try:
        tenancy.activate_system(db.session)
        pristine = build_world()
        db.session.commit()
        db.session.close()  # detaches every object; what they loaded stays
    finally:
        db.session = original
    outer.commit()
    connection.close()
    return WorldDatabase(url=url, app=app, pristine=pristine)


def drop(world: WorldDatabase) -> None:
    demo_db.drop(world, SUFFIX)


class Worlds:
    """The world of the day. Its dates count from the day it was built (an entry 120 days
    ago, this year's annex): a suite that runs past midnight builds it again rather than
    test yesterday's world against today's date."""

    def __init__(
        self,
        make: Callable[[], WorldDatabase],
        dispose: Callable[[WorldDatabase], None] = drop,
        today: Callable[[], date] = date.today,
    ):
        self._make, self._dispose, self._today = make, dispose, today
        self._current: WorldDatabase | None = None
        self._day: date | None = None

    def of_today(self) -> WorldDatabase:
        day = self._today()
        if self._current is None or day != self._day:
            self.close()
            self._current, self._day = self._make(), day
        return self._current

    def close(self) -> None:
        if self._current is not None:
            self._dispose(self._current)
            self._current = None


def copy_into(session, value):
    """``value`` (the world, a site, a dict or list of them) with each ORM object replaced by
    its copy in ``session``: merge(load=False) sends no query and leaves the original as it
    is; one object reached twice is one copy (the session's identity map)."""
    if is_dataclass(value) and not isinstance(value, type):
        return type(value)(
            **{f.name: copy_into(session, getattr(value, f.name)) for f in fields(value)}
        )
    if isinstance(value, dict):
        return {key: copy_into(session, item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_into(session, item) for item in value]
    if hasattr(value, "_sa_instance_state"):
        return session.merge(value, load=False)
    return value
