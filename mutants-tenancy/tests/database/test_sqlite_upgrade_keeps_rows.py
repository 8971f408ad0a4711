"""Upgrading a SQLite database keeps its rows: a migration that rebuilds a table (SQLite's
batch mode: copy, DROP, rename) must not delete in cascade the rows that reference it."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.site import ON_POSTGRES

pytestmark = [pytest.mark.skipif(ON_POSTGRES, reason="SQLite seulement"), pytest.mark.no_db]

BEFORE_REBUILDS = "i6c0ffee0009"  # then memberships, contracts, structures, employees are rebuilt


def _flask(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "db", *args],
        env={"DATABASE_URL": url, "FLASK_APP": "wsgi", "PATH": ""},
        check=True,
        capture_output=True,
    )


def test_upgrade_to_head_keeps_every_row(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _flask(url, "upgrade", BEFORE_REBUILDS)
    engine = create_engine(url)
    ids = {name: uuid.uuid4().hex for name in ("structure", "employee", "contract", "pass")}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO structures (id, slug, name, kind, created_at, updated_at) "
                "VALUES (:id, 'gardee', 'Gardée', 'ACI', '2026-01-01', '2026-01-01')"
            ),
            {"id": ids["structure"]},
        )
        conn.execute(
            text(
                "INSERT INTO employees (id, structure_id, last_name, first_name, version_id, "
                "created_at, updated_at) VALUES (:id, :s, 'Durand', 'Lou', 1, '2026-01-01', "
                "'2026-01-01')"
            ),
            {"id": ids["employee"], "s": ids["structure"]},
        )
        conn.execute(
            text(
                "INSERT INTO contracts (id, structure_id, employee_id, kind, start_date, end_date, "
                "weekly_hours, created_at, updated_at) VALUES (:id, :s, :e, 'cddi', "
                "'2026-01-05', '2026-07-04', 26, '2026-01-01', '2026-01-01')"
            ),
            {"id": ids["contract"], "s": ids["structure"], "e": ids["employee"]},
        )
    _flask(url, "upgrade")
    with engine.connect() as conn:
        counts = {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
            for table in ("structures", "employees", "contracts")
        }
    assert counts == {"structures": 1, "employees": 1, "contracts": 1}
