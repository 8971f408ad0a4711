from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/administration")

from siae_app.blueprints.members import views  # noqa: E402,F401
