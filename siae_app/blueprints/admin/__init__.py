from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/administration")

from siae_app.blueprints.admin import views  # noqa: E402,F401
