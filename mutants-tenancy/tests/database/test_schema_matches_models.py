"""The models describe exactly the database the migrations build (nothing for autogenerate).

A refactoring of the models (mixins, column helpers) must not change a table: Alembic's
comparison of the metadata with the migrated test database finds no difference at all.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from siae_app.models import Base
from tests.site import ON_POSTGRES

# PostgreSQL carries what the models do not declare on purpose (the same-structure composite
# foreign keys, row-level security): the comparison is made on the SQLite database.
pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="SQLite seulement")


def test_the_migrated_database_is_what_the_models_declare(_transaction):
    context = MigrationContext.configure(
        _transaction, opts={"compare_type": True, "compare_server_default": True}
    )
    assert compare_metadata(context, Base.metadata) == []
