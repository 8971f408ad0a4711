from flask import Blueprint

bp = Blueprint("employees", __name__, url_prefix="/salaries")

from siae_app.blueprints.employees import (  # noqa: E402,F401
    views,
    views_access_log,
    views_criteria,
    views_export,
    views_immersions,
    views_import,
    views_parcours,
    views_personal_space,
    views_privacy,
    views_renewal,
    views_subject_access,
)
