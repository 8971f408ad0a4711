from flask import Blueprint

bp = Blueprint("observations", __name__, url_prefix="/salaries")

from siae_app.blueprints.observations import views  # noqa: E402,F401
