"""/verifier: type a code; /verifier/<code>: the attestation it names, valid or revoked;
/verifier/badge: paste or upload a signed badge (vc+jwt); /emetteurs/<slug>/did.json and
/emetteurs/<slug>/statuts/revocation: what any wallet needs to verify a structure's badges."""

from __future__ import annotations

import json

from flask import current_app, make_response, redirect, render_template, request, url_for

from siae_app import tenancy
from siae_app.blueprints.public import bp
from siae_app.extensions import db, limiter
from siae_app.services.attestations import credentials, signing, verification
from siae_app.tenancy import lookup

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


# ------------------------------------------------------------------ signed badges


def _not_a_issuer(slug: str):
    body = render_template("public/issuer_not_found.html", typed=slug[:40])
    return _public(body, 404)


def _issuer(slug: str):
    return lookup.structure_by_slug(db.session, slug)


@bp.get("/emetteurs/<slug>/did.json")
@limiter.shared_limit(verify_limit, scope="emetteurs")
def issuer_did(slug: str):
    structure = _issuer(slug)
    if structure is None:
        return _not_a_issuer(slug)
    with tenancy.tenant_scope(db.session, structure.id):
        document = credentials.did_document(db.session, structure)
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2))
    response.mimetype = "application/did+json"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/emetteurs/<slug>/statuts/revocation")
@limiter.shared_limit(verify_limit, scope="emetteurs")
def status_list(slug: str):
    structure = _issuer(slug)
    if structure is None:
        return _not_a_issuer(slug)
    with tenancy.tenant_scope(db.session, structure.id):
        token = credentials.status_list_credential(db.session, structure)
    if token is None:  # no badge issued yet: no key, no list
        return _not_a_issuer(slug)
    response = make_response(token)
    response.mimetype = credentials.MEDIA_TYPE
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


class _TooLarge(ValueError):
    pass


def _pasted_badge() -> str:
    """The pasted text, else the uploaded file's (read up to the limit, no further)."""
    pasted = request.form.get("badge", "")
    upload = request.files.get("fichier")
    if not pasted.strip() and upload is not None and upload.filename:
        data = upload.stream.read(credentials.MAX_TOKEN_BYTES + 1)
        if len(data) > credentials.MAX_TOKEN_BYTES:
            raise _TooLarge
        return data.decode("utf-8", errors="replace")
    if len(pasted.encode()) > credentials.MAX_TOKEN_BYTES:
        raise _TooLarge
    return pasted


@bp.route("/verifier/badge", methods=["GET", "POST"])
@limiter.shared_limit(verify_limit, scope="verifier")
def verify_badge():
    if request.method == "GET":
        return _public(render_template("public/verify_badge.html", pasted="", error=None))
    if (request.content_length or 0) > 2 * credentials.MAX_TOKEN_BYTES + 4096:
        error = "Le fichier est trop gros : un badge signé fait moins de 64 Ko."
        body = render_template("public/verify_badge.html", pasted="", error=error)
        return _public(body, 413)
    try:
        pasted = _pasted_badge()
    except _TooLarge:
        error = "Le badge est trop gros : un badge signé fait moins de 64 Ko."
        body = render_template("public/verify_badge.html", pasted="", error=error)
        return _public(body, 422)
    if not pasted.strip():
        error = "Collez le contenu du badge (fichier .jwt) ou choisissez le fichier."
        body = render_template("public/verify_badge.html", pasted="", error=error)
        return _public(body, 422)
    result = credentials.check(db.session, pasted)
    if result.outcome == "unreadable":
        error = "Ce texte n'est pas un badge signé : il doit commencer par « eyJ » (format .jwt)."
        body = render_template("public/verify_badge.html", pasted=pasted, error=error)
        return _public(body, 422)
    body = render_template("public/verify_badge.html", pasted=pasted, error=None, result=result)
    return _public(body)
