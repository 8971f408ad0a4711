"""Create a scratch PostgreSQL database for the test suite, if a server answers.

Exit 0 and print the owner URL when the database is ready; exit 1 when no server answers
(then `make test` runs on SQLite only and says so).

The suite connects as the owner (the user of that URL) and creates the application's role,
named after the database (`<database>_app`, see tests/site.py), so parallel suites on one
server do not share a role. Roles are server-wide: the ones a previous run left are dropped
with its database.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

import psycopg

HOST = os.environ.get("PGHOST_TEST", "127.0.0.1")
PORT = os.environ.get("PGPORT_TEST", "5432")
USER = os.environ.get("PGUSER_TEST", "postgres")
DBNAME = os.environ.get("PGDATABASE_TEST", "siae_test")


def main() -> int:
    try:
        conn = psycopg.connect(
            host=HOST, port=PORT, user=USER, dbname="postgres", connect_timeout=3, autocommit=True
        )
    except psycopg.OperationalError:
        return 1
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DBNAME}" WITH (FORCE)')
        prefix = re.sub(r"[^a-z0-9_]", "_", DBNAME.lower())  # as tests/site.py names them
        # tests/database/test_readme_setup.py, tests/demo_db.py, tests/world_db.py
        for suffix in ("readme", "demo", "world"):
            conn.execute(f'DROP DATABASE IF EXISTS "{prefix}_{suffix}" WITH (FORCE)')
        for suffix in ("app", "readme_app", "readme_owner"):
            # Still granted elsewhere: left as it is, the suite re-uses it (dbrole setup).
            with contextlib.suppress(psycopg.Error):
                conn.execute(f'DROP ROLE IF EXISTS "{prefix}_{suffix}"')
        conn.execute(f'CREATE DATABASE "{DBNAME}"')
    print(f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{DBNAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
