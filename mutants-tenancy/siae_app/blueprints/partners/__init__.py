from flask import Blueprint

bp = Blueprint("partners", __name__, url_prefix="/partenaires")

from siae_app.blueprints.partners import views  # noqa: E402,F401
