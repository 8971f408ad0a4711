from flask import Blueprint

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")

from siae_app.blueprints.evaluations import views, views_grids, views_plans  # noqa: E402,F401
