"""Request-wide hooks: session lifetime, security headers, caching rules, error pages."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature

from siae_app import access_trail, tenancy
from siae_app.extensions import db
from siae_app.services import has_control_chars
from siae_app.templating import static_version

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


# Endpoints that never read nor write the session (no user loaded, no cookie sent back).
SESSIONLESS = frozenset({"static", "healthz"})


# An unchanged session's cookie is signed and sent again (its idle limit pushed back) once
# this much time has passed since it was signed, rather than on every response: signing is
# a good part of a light page's cost, and the idle limit moves by a minute at most.
COOKIE_REFRESH_AFTER = timedelta(minutes=1)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that static files and the health check never
    send the cookie back, and an unchanged session's cookie is refreshed at most once a
    minute (``COOKIE_REFRESH_AFTER``)."""

    def open_session(self, app: Flask, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if request.endpoint in SESSIONLESS:
            return False
        if session.modified:
            return True
        signed_at = getattr(session, "signed_at", None)
        if signed_at is not None and datetime.now(UTC) - signed_at < COOKIE_REFRESH_AFTER:
            return False
        return super().should_set_cookie(app, session)


def init_request_hooks(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.url_value_preprocessor(_reset_tenant)
    app.before_request(_check_query_string)
    app.before_request(_session_lifetime)
    app.after_request(_headers)
    app.after_request(_commit)
    app.teardown_request(_rollback_on_error)


def _reset_tenant(endpoint, values) -> None:
    # First thing of every request: nothing is visible until a structure is chosen.
    tenancy.deactivate(db.session)


# A query-string value is typed text like a form field's (a search, a filter): the same check
# (no control character), and a bound on its length, before any view reads it.
QUERY_VALUE_MAX = 500
QUERY_REFUSAL = (
    "L'adresse de la page contient des caractères invisibles non autorisés ou une valeur "
    "trop longue (par exemple dans une recherche) : retapez votre recherche."
)


def _check_query_string():
    for key, value in request.args.items(multi=True):
        if (
            has_control_chars(key)
            or has_control_chars(value)
            or len(key) + len(value) > QUERY_VALUE_MAX
        ):
            page = render_template(
                "errors/error.html", code=400, title="Adresse invalide", text=QUERY_REFUSAL
            )
            return page, 400
    return None


def _session_lifetime():
    if request.endpoint in SESSIONLESS:
        return None
    _read_markers()
    _keep_signed_in_session()
    if not current_user.is_authenticated:
        return _anonymous_on_structure_page()
    started = session.get("started_at")
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if started is None or time.time() - started > limit:
        logout_user()
        session.clear()
        g.session_expired = True
        return _anonymous_on_structure_page()
    return None


def _security_headers(response) -> None:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    h["Referrer-Policy"] = "same-origin"
    h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HSTS"):
        h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    h.add("Vary", "HX-Request")


def _headers(response):
    _security_headers(response)
    if request.endpoint == "static":
        _static_cache(response)
    elif request.endpoint not in SESSIONLESS and current_user.is_authenticated:
        # Personal data never sits in a shared cache or the back-button cache.
        response.headers["Cache-Control"] = "no-store"
    if request.endpoint == "auth.logout":
        _forget_the_tab(response)
    return response


def _commit(response):
    # One commit per request, at the boundary; services only flush. A salarié's page writes
    # its access-log rows in the same commit.
    if response.status_code < 400:
        access_trail.record(response)
        db.session.commit()
    else:
        db.session.rollback()
        # A refused form (422, 409) shown again with the salarié's data: only its log row stays.
        if access_trail.record(response):
            db.session.commit()
    return response


def _rollback_on_error(exc) -> None:
    if exc is not None:
        db.session.rollback()


def _keep_signed_in_session() -> None:
    """A signed-in session expires after PERMANENT_SESSION_LIFETIME idle; an anonymous
    visitor gets no cookie at all (unless a page carries a form)."""
    if "_user_id" in session and not session.permanent:
        session.permanent = True  # (setting it marks the session changed: only once)


def _read_markers() -> None:
    """One-shot markers for base.html: just signed out, or sent to sign in by an expiry."""
    if session.get("signed_out"):
        g.signed_out = session.pop("signed_out")
    if request.endpoint == "auth.login" and request.args.get("session") == "expiree":
        g.session_expired = True


def _forget_the_tab(response) -> None:
    """Sign-out: the browser drops its copies and storage of this site (drafts included), and
    the next page tells app.js to do the same where the header is not supported."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    response.headers["Cache-Control"] = "no-store"
    session["signed_out"] = True


def _static_cache(response) -> None:
    """A versioned URL (static_url: ?v=<content hash>) never changes: cached for a year.
    Any other static URL is revalidated each time."""
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if response.status_code == 200 and version and version == static_version(filename):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"


def _on_structure_page() -> bool:
    return (request.blueprint or "").split(".")[0] == "s"


def _anonymous_on_structure_page():
    """Without a session, a form sent to a structure page goes to the session-expired page
    (what was typed is kept by app.js); an htmx request is sent to the login page."""
    if not _on_structure_page():
        return None
    if request.method == "POST" or request.headers.get("HX-Request"):
        return session_expired_response()
    return None


def _same_site_path(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _form_page() -> str:
    """The page the person was on: htmx says it; else the referrer (same site only)."""
    return (
        _same_site_path(request.headers.get("HX-Current-URL"))
        or _same_site_path(request.referrer)
        or request.path
    )


def session_expired_response():
    """The session ended before the form was sent: to the login page, which says so; signing
    in again on this tab reopens the form page with what was typed (app.js keeps it in the
    tab's sessionStorage, marked with the person's draft_owner, never in a cookie)."""
    if request.headers.get("X-Offline-Replay"):
        # chantier.js sending a record queued offline: it keeps the record and asks the
        # person to sign in again; a redirect would look like a success to fetch().
        return make_response("", 401)
    login = url_for("auth.login", session="expiree", next=_form_page())
    if request.headers.get("HX-Request"):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login
        return response
    return redirect(login)


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
        if request.blueprint == "espace":  # the salarié's space: its own code page says so
            return redirect(url_for("espace.home", fermee=1), code=303)
        _keep_signed_in_session()  # CSRFProtect runs before the request hooks
        if not current_user.is_authenticated and _on_structure_page():
            return session_expired_response()
        text = (
            "Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et "
            "recommencez (votre session a peut-être expiré)."
        )
        return render_template(
            "errors/error.html", code=400, title="Formulaire expiré", text=text
        ), 400
