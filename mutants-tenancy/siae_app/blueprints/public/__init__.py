"""Public pages, at the root, for people without an account: the verification of an
attestation de compétences by its code (rate-limited; nothing else is public)."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from siae_app.blueprints.public import views  # noqa: E402,F401
