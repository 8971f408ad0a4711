from flask import Blueprint

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")

from siae_app.blueprints.evaluations import (  # noqa: E402,F401
    views,
    views_coverage,
    views_evidence,
    views_grids,
    views_plans,
)
