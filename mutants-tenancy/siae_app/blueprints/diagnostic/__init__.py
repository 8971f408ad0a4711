from flask import Blueprint

bp = Blueprint("diagnostic", __name__, url_prefix="/diagnostic")

from siae_app.blueprints.diagnostic import views  # noqa: E402,F401
