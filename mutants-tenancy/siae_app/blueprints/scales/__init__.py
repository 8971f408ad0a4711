from flask import Blueprint

bp = Blueprint("scales", __name__, url_prefix="/echelles")

from siae_app.blueprints.scales import views  # noqa: E402,F401
