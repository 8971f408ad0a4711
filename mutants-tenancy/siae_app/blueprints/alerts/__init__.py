from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alertes")

from siae_app.blueprints.alerts import views  # noqa: E402,F401
