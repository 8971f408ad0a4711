from datetime import date

from flask import Blueprint
from flask_babel import format_date, format_decimal

bp = Blueprint("attestations", __name__, url_prefix="/attestations")


@bp.app_template_filter("iso_fr")
def iso_fr(value: str | None) -> str:
    """An ISO date stored in a frozen document, in French (« 3 mars 2026 »)."""
    return format_date(date.fromisoformat(value), "d MMMM y") if value else ""


@bp.app_template_filter("hours_fr")
def hours_fr(value) -> str:
    return format_decimal(value, "#,##0.#") if value is not None else ""


from siae_app.blueprints.attestations import views  # noqa: E402,F401
