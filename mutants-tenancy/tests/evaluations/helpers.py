"""Shared bits of the evaluation tests."""

from __future__ import annotations

from datetime import date

from siae_app.extensions import db
from siae_app.models import ActivityFramework, Observation, ObservationCompetency


def base(site) -> str:
    return f"/s/{site.slug}/evaluations"


def link_framework(site) -> None:
    """The framework of the world belongs to the activity of the ETI's team."""
    db.session.add(
        ActivityFramework(
            structure_id=site.structure.id,
            activity_id=site.activity.id,
            framework_id=site.framework.id,
        )
    )
    db.session.commit()


def observation(site, author, competency, text, *, sensitive=False) -> Observation:
    obs = Observation(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        author_id=author.id,
        observed_on=date.today(),
        text=text,
        tone="positive",
        sensitive=sensitive,
    )
    obs.links.append(
        ObservationCompetency(structure_id=site.structure.id, competency_id=competency.id)
    )
    db.session.add(obs)
    db.session.commit()
    return obs


def level(site, code):
    return next(lv for lv in site.scale.levels if lv.code == code)
