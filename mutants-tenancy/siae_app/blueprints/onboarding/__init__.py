from flask import Blueprint

bp = Blueprint("onboarding", __name__, url_prefix="/accueil")

from siae_app.blueprints.onboarding import views  # noqa: E402,F401
