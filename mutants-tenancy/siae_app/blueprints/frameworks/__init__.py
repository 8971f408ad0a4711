from flask import Blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/referentiels")

from siae_app.blueprints.frameworks import (  # noqa: E402,F401
    views_browse,
    views_edit,
    views_import,
)
