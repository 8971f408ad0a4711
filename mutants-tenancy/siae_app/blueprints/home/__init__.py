from flask import Blueprint

bp = Blueprint("home", __name__)

from siae_app.blueprints.home import views  # noqa: E402,F401
