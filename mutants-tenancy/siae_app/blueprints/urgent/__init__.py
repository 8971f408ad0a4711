from flask import Blueprint

bp = Blueprint("urgent", __name__, url_prefix="/urgences")

from siae_app.blueprints.urgent import views  # noqa: E402,F401
