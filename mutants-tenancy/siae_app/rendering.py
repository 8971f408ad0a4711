"""Page or fragment: a non-boosted htmx request gets only the named block of the page."""

from __future__ import annotations

from flask import render_template
from jinja2_fragments.flask import render_block

from siae_app.extensions import htmx


def wants_fragment() -> bool:
    # A history restore (Back with no cached copy) needs the whole page.
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str | None = None, **context) -> str:
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)
