from flask import Blueprint

bp = Blueprint("auth", __name__)

from siae_app.blueprints.auth import views, views_links  # noqa: E402,F401
