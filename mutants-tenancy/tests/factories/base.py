"""The factory base: objects are committed in the test's rolled-back transaction."""

from __future__ import annotations

from factory.alchemy import SQLAlchemyModelFactory

from siae_app.extensions import db


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"
