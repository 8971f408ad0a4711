from flask import Blueprint

bp = Blueprint("interviews", __name__, url_prefix="/entretiens")

from siae_app.blueprints.interviews import views  # noqa: E402,F401
