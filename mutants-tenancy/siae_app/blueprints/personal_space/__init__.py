"""« Mon espace »: the salarié's own space, outside /s/<slug>/, opened with a personal link
and a code (services/personal_space). Its own cookie binds one phone to one salarié of one
structure; every page activates that structure and nothing else."""

from flask import Blueprint

bp = Blueprint("espace", __name__, url_prefix="/mon-espace")

from siae_app.blueprints.personal_space import views, views_progress  # noqa: E402,F401
