from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/presences")

from siae_app.blueprints.attendance import views  # noqa: E402,F401
