from flask import Blueprint

bp = Blueprint("privacy", __name__)

from siae_app.blueprints.privacy import views  # noqa: E402,F401
