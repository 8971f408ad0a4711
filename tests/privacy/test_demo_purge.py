"""The demo holds files of several ages: a purge of it erases and anonymises exactly the two
former salariés of each structure who are due, and a second purge finds nothing.

On the demo database (tests/demo_db.py); the purge is rolled back after the test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import Employee, Interview
from siae_app.services.privacy import purge
from tests.demo_db import structures as demo_structures


@pytest.mark.demo
def test_a_purge_of_the_demo_erases_two_files_and_anonymises_one_per_structure(session):
    tenancy.activate_system(session)
    structures = demo_structures(session)
    for structure in structures:
        out = {o.rule.value: o for o in purge.run(session, structure, purge.date.today())}
        assert len(out["accompaniment"].due) == 2, structure.slug
        assert out["accompaniment"].counts == {"employees": 2, "interviews": 2, "observations": 2}
        assert len(out["employment"].due) == 1
        assert out["employment"].counts == {"employees": 1, "pass_iae": 1}
        assert out["attestation"].total == out["access_log"].total == 0
    session.expire_all()
    anonymous = session.scalars(select(Employee).where(Employee.anonymised_on.is_not(None))).all()
    assert len(anonymous) == 2 and {e.last_name for e in anonymous} == {purge.ANONYMOUS}
    summaries = session.scalars(
        select(Interview.summary).where(Interview.employee_id.in_([e.id for e in anonymous]))
    ).all()
    assert summaries == [None, None]
    again = [o for s in structures for o in purge.run(session, s, purge.date.today())]
    assert sum(o.total for o in again) == 0
