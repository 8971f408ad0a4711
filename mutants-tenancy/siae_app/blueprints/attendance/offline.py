"""The service worker, served from the root so that its scope covers the whole app."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, make_response, render_template

from siae_app.templating import static_url

bp = Blueprint("offline", __name__)

# What a phone keeps to open the « Présences » pages without network (static files only).
SHELL_FILES = (  # every file base.html loads, so that an offline page keeps its styles
    "css/app.css",
    "css/frameworks.css",
    "css/employees.css",
    "css/chantier.css",
    "css/evaluations.css",
    "js/app.js",
    "js/chantier.js",
    "js/passkeys.js",
    "vendor/htmx.min.js",
    "favicon.svg",
    "manifest.webmanifest",
)


def icons() -> list[str]:
    """The icons the stylesheets draw (copied at set-up into static/vendor/icons)."""
    folder = Path(current_app.static_folder) / "vendor" / "icons"
    return sorted(f"vendor/icons/{p.name}" for p in folder.glob("*.svg"))


def shell() -> tuple[str, list[str]]:
    """The shell's versioned URLs (those the pages ask for) and a cache name drawn from them:
    any change of a shell file's content gives another name, hence another worker."""
    urls = [static_url(name) for name in (*SHELL_FILES, *icons())]
    digest = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:10]
    return f"parcours-shell-{digest}", urls


@bp.get("/sw.js")
def service_worker():
    cache, urls = shell()
    response = make_response(render_template("attendance/sw.js", shell_cache=cache, shell=urls))
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    # Asked again at each check (the browser compares it byte for byte with the installed one).
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
