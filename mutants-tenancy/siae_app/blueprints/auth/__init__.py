from flask import Blueprint

bp = Blueprint("auth", __name__)

from siae_app.blueprints.auth import (  # noqa: E402,F401
    views,
    views_links,
    views_passkeys,
    views_two_factor,
)
