"""Request-wide hooks: session lifetime, security headers, caching rules, error pages."""

from __future__ import annotations

import time

from flask import Flask, g, render_template, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from siae_app import tenancy
from siae_app.extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def init_request_hooks(app: Flask) -> None:
    @app.url_value_preprocessor
    def _reset_tenant(endpoint, values):
        # First thing of every request: nothing is visible until a structure is chosen.
        tenancy.deactivate(db.session)

    @app.before_request
    def _session_lifetime():
        session.permanent = True  # idle expiry = PERMANENT_SESSION_LIFETIME
        if not current_user.is_authenticated:
            return None
        started = session.get("started_at")
        limit = app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
        if started is None or time.time() - started > limit:
            logout_user()
            session.clear()
            g.session_expired = True
        return None

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["X-Frame-Options"] = "DENY"
        h["Referrer-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("HSTS"):
            h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        h.add("Vary", "HX-Request")
        if current_user.is_authenticated:
            # Personal data never sits in a shared cache or the back-button cache.
            h["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def _commit(response):
        # One commit per request, at the boundary; services only flush.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()


def init_error_pages(app: Flask) -> None:
    messages = {
        400: ("Requête invalide", "La requête n'a pas pu être traitée."),
        403: ("Accès refusé", "Votre rôle ne donne pas accès à cette page."),
        404: ("Page introuvable", "Cette page n'existe pas ou vous n'y avez pas accès."),
        405: ("Action non permise", "Cette action n'est pas possible sur cette page."),
        413: ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille autorisée."),
        429: (
            "Trop de tentatives",
            "Trop de tentatives en peu de temps. Patientez quelques minutes puis réessayez.",
        ),
        500: (
            "Erreur inattendue",
            "Une erreur s'est produite de notre côté. Rien de ce que vous avez enregistré "
            "auparavant n'est perdu ; réessayez dans un instant.",
        ),
    }

    def handler(code):
        def handle(error):
            if code == 500:
                db.session.rollback()
            title, text = messages[code]
            return render_template("errors/error.html", code=code, title=title, text=text), code

        return handle

    for code in messages:
        app.register_error_handler(code, handler(code))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        text = (
            "Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et "
            "recommencez (votre session a peut-être expiré)."
        )
        return render_template(
            "errors/error.html", code=400, title="Formulaire expiré", text=text
        ), 400
