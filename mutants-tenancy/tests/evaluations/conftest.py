"""The world's evaluation objects get the structure's scale here (in the shared world they
point at none, see tests/site.py add_evaluations), and the assessment its first level."""

from __future__ import annotations

import pytest

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.services.evaluations import assessments


@pytest.fixture
def world(world):
    for site in (world.a, world.b):
        objects = site.evaluations
        objects["grid"].scale_id = objects["assessment"].scale_id = site.scale.id
        objects["goal"].target_level_id = site.scale.levels[3].id
        db.session.flush()
        db.session.expire(objects["grid"], ["scale"])
        db.session.expire(objects["assessment"], ["scale"])
        eca = next(lv for lv in site.scale.levels if lv.code == "ECA")
        with tenancy.tenant_scope(db.session, site.structure.id):
            assessments.set_item(
                db.session,
                objects["assessment_item"],
                assessments.ItemAnswer(level_id=eca.id),
                visible=assessments.no_observations(),
            )
    db.session.commit()
    return world
