from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/equipes")

from siae_app.blueprints.teams import views  # noqa: E402,F401
