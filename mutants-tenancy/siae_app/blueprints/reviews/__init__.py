from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/bilans")

from siae_app.blueprints.reviews import views  # noqa: E402,F401
