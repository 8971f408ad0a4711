from flask import Blueprint

bp = Blueprint("funding", __name__, url_prefix="/pilotage")

from siae_app.blueprints.funding import views  # noqa: E402,F401
