"""Passkeys (WebAuthn): added and removed in « Mon compte », used at sign-in on the code step
instead of the TOTP code (static/js/passkeys.js calls the browser).

The browser asks for options (JSON), then sends back what the authenticator signed (JSON). The
challenge of the options waits in the Flask session for five minutes and serves once, for the
person and the purpose it was made for. Failures answer ``{"error": "..."}`` in French.
"""

from __future__ import annotations

import base64
import time
import uuid
from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, request, session, url_for
from flask_login import current_user, login_required

from siae_app.blueprints.auth import bp
from siae_app.blueprints.auth.views_two_factor import _finish_pending, _pending
from siae_app.blueprints.forms_common import see_other
from siae_app.extensions import db, limiter
from siae_app.services import ServiceError
from siae_app.services.accounts import passkeys, throttle
from siae_app.services.accounts import sessions as user_sessions
from siae_app.services.accounts import two_factor as tfa

CHALLENGE = "webauthn_challenge"
CHALLENGE_SECONDS = 5 * 60
ADD, SIGN_IN = "add", "sign_in"
STALE = "La demande a expiré : recommencez."
EXPIRED = "Votre connexion a expiré : saisissez de nouveau votre mot de passe."


def relying_party() -> passkeys.RelyingParty:
    """The settings when given, else this request's host (no port) and origin."""
    host = urlsplit(f"//{request.host}").hostname or request.host
    rp_id = current_app.config.get("WEBAUTHN_RP_ID") or host
    origin = current_app.config.get("WEBAUTHN_ORIGIN") or f"{request.scheme}://{request.host}"
    return passkeys.RelyingParty(id=rp_id, origin=origin.rstrip("/"))


def _keep_challenge(purpose: str, user_id: uuid.UUID, challenge: bytes) -> None:
    session[CHALLENGE] = {
        "p": purpose,
        "u": str(user_id),
        "c": base64.urlsafe_b64encode(challenge).decode(),
        "t": time.time(),
    }


def _take_challenge(purpose: str, user_id: uuid.UUID) -> bytes | None:
    """The challenge waiting for this purpose and person, removed (it serves once)."""
    kept = session.pop(CHALLENGE, None)
    if not isinstance(kept, dict) or kept.get("p") != purpose or kept.get("u") != str(user_id):
        return None
    if time.time() - float(kept.get("t", 0)) > CHALLENGE_SECONDS:
        return None
    return base64.urlsafe_b64decode(str(kept.get("c", "")).encode())


def _error(message: str, status: int):
    return jsonify({"error": message}), status


def _options(options_json: str):
    return current_app.response_class(options_json, mimetype="application/json")


def _credential() -> dict | None:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return None
    return body


# ------------------------------------------------------------------ « Mon compte »


@bp.post("/compte/cles/options")
@login_required
def passkey_options():
    user = current_user._get_current_object()
    try:
        options, challenge = passkeys.registration_options(db.session, user, relying_party())
    except ServiceError as exc:
        return _error(exc.message, 403)
    _keep_challenge(ADD, user.id, challenge)
    return _options(options)


@bp.post("/compte/cles")
@login_required
def passkey_add():
    user = current_user._get_current_object()
    challenge = _take_challenge(ADD, user.id)
    body = _credential()
    if challenge is None:
        return _error(STALE, 400)
    if body is None:
        return _error(passkeys.NOT_ADDED, 400)
    label = user_sessions.device_label(request.headers.get("User-Agent"))
    try:
        passkeys.add(db.session, user, body["credential"], challenge, relying_party(), label)
    except ServiceError as exc:
        return _error(exc.message, 422)
    flash("Clé d'accès ajoutée : elle pourra remplacer le code à la connexion.", "success")
    return jsonify({"redirect": url_for(".account")})


@bp.post("/compte/cles/<uuid:passkey_id>/supprimer")
@login_required
def passkey_remove(passkey_id: uuid.UUID):
    if passkeys.remove(db.session, current_user, passkey_id) is None:
        abort(404)
    return see_other(".account", "Clé d'accès supprimée.")


# ------------------------------------------------------------------ at sign-in


@bp.post("/connexion/cle/options")
@limiter.limit("30 per minute")
def sign_in_passkey_options():
    found = _pending()
    if found is None:
        return _error(EXPIRED, 401)
    user, _state = found
    if not user.has_two_factor:
        return _error(EXPIRED, 401)
    try:
        options, challenge = passkeys.authentication_options(db.session, user, relying_party())
    except ServiceError as exc:
        return _error(exc.message, 422)
    _keep_challenge(SIGN_IN, user.id, challenge)
    return _options(options)


@bp.post("/connexion/cle")
@limiter.limit("30 per minute")
def sign_in_passkey():
    found = _pending()
    if found is None:
        return _error(EXPIRED, 401)
    user, state = found
    if not user.has_two_factor:
        return _error(EXPIRED, 401)
    if throttle.code_blocked(user.id):
        return _error(throttle.CODE_REFUSAL, 429)
    challenge = _take_challenge(SIGN_IN, user.id)
    body = _credential()
    if challenge is None:
        return _error(STALE, 400)
    try:
        if body is None:
            raise ServiceError(passkeys.REFUSED)
        passkeys.authenticate(db.session, user, body["credential"], challenge, relying_party())
    except ServiceError as exc:
        throttle.record_code_failure(user.id)
        return _error(exc.message, 422)
    throttle.clear_codes(user.id)
    token = None
    if body.get("remember") is True:
        label = user_sessions.device_label(request.headers.get("User-Agent"))
        token = tfa.trust_device(db.session, user, label)
    response = _finish_pending(user, state, token)
    # The same answer as a correct code (a fresh session, its cookies), as JSON for the script.
    target = response.location
    response.status_code = 200
    del response.headers["Location"]
    response.mimetype = "application/json"
    response.set_data(current_app.json.dumps({"redirect": target}))
    return response
