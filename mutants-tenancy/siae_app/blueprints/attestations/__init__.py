from flask import Blueprint

bp = Blueprint("attestations", __name__, url_prefix="/attestations")

from siae_app.blueprints.attestations import views  # noqa: E402,F401
