from flask import Blueprint

bp = Blueprint("structure_settings", __name__, url_prefix="/structure")

from siae_app.blueprints.structure_settings import views  # noqa: E402,F401
