"""``require`` (permissions/policy.py) applied while the app runs, as the blueprints apply it at
import: the view carries its permission (read by the role matrix) and answers 403 to a
membership without it, or to none."""

from __future__ import annotations

import pytest
from flask import g
from werkzeug.exceptions import Forbidden

from siae_app.permissions.policy import Perm, require


def _view():
    return "vu"


def test_a_view_required_carries_its_permission_and_refuses_without_it(app, world):
    view = require(Perm.ATTESTATIONS_SIGN)(_view)
    assert view.permission is Perm.ATTESTATIONS_SIGN and view.__name__ == "_view"
    with app.test_request_context():
        g.membership = world.a.member("director")
        assert view() == "vu"
        for refused in (world.a.member("cip"), None):
            g.membership = refused
            with pytest.raises(Forbidden):
                view()
