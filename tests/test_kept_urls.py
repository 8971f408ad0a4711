"""URLs built once per worker (siae_app.application): each kept path is the one Flask builds,
for the structure, the blueprint and the values of the page asking for it."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Flask, g, url_for


def _flask_builds(app, endpoint: str, **values) -> str:
    return Flask.url_for(app, endpoint, **values)


def test_a_kept_url_is_the_one_of_its_own_structure(app, world):
    employee_id = uuid.uuid4()
    with app.test_request_context("/"):
        for site in (world.a, world.b, world.a):
            g.structure = site.structure
            for _ in range(2):  # built, then kept
                assert url_for("s.employees.show", employee_id=employee_id) == (
                    f"/s/{site.structure.slug}/salaries/{employee_id}"
                )
                assert url_for("s.home.index") == f"/s/{site.structure.slug}/"
        g.structure = world.b.structure  # a slug given wins over the page's one
        assert url_for("s.home.index", structure_slug=world.a.structure.slug) == (
            f"/s/{world.a.structure.slug}/"
        )


def test_values_anchors_and_relative_endpoints_give_flasks_url(app, world):
    day = date(2026, 12, 7)
    # The request's blueprint (for ``.today``) comes from its URL.
    with app.test_request_context(f"/s/{world.a.structure.slug}/presences/"):
        g.structure = world.a.structure
        for _ in range(2):
            assert url_for(".today", jour=day) == _flask_builds(app, ".today", jour=day)
            assert url_for(".today", jour=day, _anchor="a b") == (
                f"/s/{world.a.structure.slug}/presences/?jour=2026-12-07#a%20b"
            )
            assert url_for(".today", page=2) != url_for(".today", page=3)
    with app.test_request_context(f"/s/{world.a.structure.slug}/salaries/"):
        g.structure = world.a.structure
        assert url_for(".index") == f"/s/{world.a.structure.slug}/salaries/"
    with app.test_request_context(f"/s/{world.a.structure.slug}/alertes/"):
        g.structure = world.a.structure
        # The same relative name in another blueprint: another page.
        assert url_for(".index") == f"/s/{world.a.structure.slug}/alertes/"


def test_external_urls_and_lists_are_built_each_time(app, world):
    with app.test_request_context("/"):
        g.structure = world.a.structure
        kept = len(app._kept_urls)
        external = url_for("s.home.index", _external=True)
        assert external == _flask_builds(app, "s.home.index", _external=True)
        assert external.startswith("http") and external.endswith(f"/s/{world.a.structure.slug}/")
        assert url_for("s.attendance.today", equipe=["x", "y"]).endswith("?equipe=x&equipe=y")
        assert len(app._kept_urls) == kept
