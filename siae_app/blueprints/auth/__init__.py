from flask import Blueprint

bp = Blueprint("auth", __name__)

from siae_app.blueprints.auth import views, views_links, views_two_factor  # noqa: E402,F401
