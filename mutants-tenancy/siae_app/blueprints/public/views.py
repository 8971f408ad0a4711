"""/verifier: type a code; /verifier/<code>: the attestation it names, valid or revoked."""

from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request, url_for

from siae_app.blueprints.public import bp
from siae_app.extensions import db, limiter
from siae_app.services.attestations import signing, verification

DEFAULT_LIMIT = "30 per minute"


def verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT") or DEFAULT_LIMIT


def _public(body: str, status: int = 200):
    response = make_response(body, status)
    # The revocation must show at once, and search engines have nothing to index here.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/verifier")
@limiter.shared_limit(verify_limit, scope="verifier")
def verify_form():
    typed = request.args.get("code")
    if typed is not None:
        code = signing.normalize(typed)
        if code:
            return redirect(url_for(".verify", code=signing.grouped(code)), code=303)
        error = "Saisissez le code imprimé sur l'attestation."
        body = render_template("public/verify_form.html", typed=typed, error=error)
        return _public(body, 422)
    return _public(render_template("public/verify_form.html", typed="", error=None))


@bp.get("/verifier/<code>")
@limiter.shared_limit(verify_limit, scope="verifier")
def verify(code: str):
    found = verification.lookup(db.session, code)
    if found is None:
        return _public(render_template("public/not_found.html", typed=code[:40]), 404)
    return _public(render_template("public/verify.html", a=found))
