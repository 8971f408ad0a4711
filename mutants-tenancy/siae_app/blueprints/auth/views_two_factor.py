"""The second step of sign-in (a code, a recovery code, or the enrolment it requires) and
« Mon compte » (the person's second factor) with « Mes appareils et sessions ».

After a correct password, a person who has or needs a second factor is not signed in: the
session holds a pending state (their id, their session nonce, the time) for five minutes.
"""

from __future__ import annotations

import time
import uuid

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from siae_app.auth_session import (
    current_row_id,
    remember_device,
    set_trusted_cookie,
    start_session,
    trusted_token,
)
from siae_app.blueprints.auth import bp, link_codes
from siae_app.blueprints.auth.forms import CodeForm, RecoveryForm
from siae_app.blueprints.auth.landing import home_for
from siae_app.blueprints.forms_common import act, see_other
from siae_app.extensions import db, limiter
from siae_app.models import User
from siae_app.services import ServiceError, accounts
from siae_app.services.accounts import passkeys, throttle
from siae_app.services.accounts import sessions as user_sessions
from siae_app.services.accounts import two_factor as tfa

PENDING = "pending_second_factor"
PENDING_SECONDS = 5 * 60
EXPIRED = "Votre connexion a expiré : saisissez de nouveau votre mot de passe."


# ------------------------------------------------------------------ the pending state


def after_password(user: User, email: str, suite: str | None, opened: str | None):
    """Where a correct password leads: signed in, or the code step, or the enrolment."""
    required = tfa.is_required(db.session, user)
    if not user.has_two_factor and not required:
        return finish(user, email, suite, opened)
    if user.has_two_factor and tfa.use_trusted_device(db.session, user, trusted_token()):
        return finish(user, email, suite, opened)
    session.clear()
    session[PENDING] = {
        "u": str(user.id),
        "n": user.session_nonce,
        "t": time.time(),
        "email": email,
        "suite": suite,
        "opened": opened,
        "passed": False,
    }
    step = ".code" if user.has_two_factor else ".enrol"
    return redirect(url_for(step), code=303)


def finish(user: User, email: str, suite: str | None, opened: str | None, token=None):
    accounts.record_login(db.session, user)
    start_session(user)  # a fresh session...
    if opened:
        link_codes.keep(link_codes.INVITATION, opened)  # ...that still knows the link opened
    response = remember_device(redirect(suite) if suite else home_for(user), email)
    if token:
        set_trusted_cookie(response, token, tfa.TRUSTED_DAYS)
    return response


def _pending() -> tuple[User, dict] | None:
    """The person half signed in, while the state is fresh and their nonce unchanged."""
    state = session.get(PENDING)
    if not isinstance(state, dict) or time.time() - float(state.get("t", 0)) > PENDING_SECONDS:
        return None
    try:
        user = db.session.get(User, uuid.UUID(str(state.get("u"))))
    except ValueError:
        return None
    if user is None or not user.is_active or user.session_nonce != state.get("n"):
        return None
    return user, state


def _expired():
    session.pop(PENDING, None)
    flash(EXPIRED, "info")
    return redirect(url_for(".login"), code=303)


def _finish_pending(user: User, state: dict, token=None):
    return finish(user, state["email"], state.get("suite"), state.get("opened"), token)


# ------------------------------------------------------------------ the code step


def _code_page(user: User, form, recovery: bool, error: str | None, status: int = 200):
    page = render_template(
        "auth/code.html",
        form=form,
        recovery=recovery,
        error=error,
        with_passkey=passkeys.has_passkeys(db.session, user),
    )
    return page, status


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def code():
    found = _pending()
    if found is None:
        return _expired()
    user, state = found
    if not user.has_two_factor:
        return redirect(url_for(".enrol"), code=303)
    recovery = request.args.get("secours") == "1"
    form = RecoveryForm() if recovery else CodeForm()
    if not form.validate_on_submit():
        return _code_page(user, form, recovery, None, 422 if form.errors else 200)
    if throttle.code_blocked(user.id):
        return _code_page(user, form, recovery, throttle.CODE_REFUSAL, 429)
    check = tfa.use_recovery_code if recovery else tfa.check_code
    if not check(db.session, user, form.code.data):
        throttle.record_code_failure(user.id)
        message = tfa.WRONG_RECOVERY if recovery else tfa.WRONG_CODE
        return _code_page(user, form, recovery, message, 422)
    throttle.clear_codes(user.id)
    token = None
    if form.remember.data:
        label = user_sessions.device_label(request.headers.get("User-Agent"))
        token = tfa.trust_device(db.session, user, label)
    response = _finish_pending(user, state, token)
    if recovery:  # after the fresh session of the sign-in
        left = len(user.recovery_code_hashes or [])
        flash(f"Code de secours utilisé : il vous en reste {left}.", "info")
    return response


# ------------------------------------------------------------------ enrolment


def _enrol_page(user: User, form, action: str, error: str | None = None, status: int = 200):
    secret = tfa.provisional_secret(db.session, user)
    page = render_template(
        "auth/enrol.html",
        form=form,
        action=action,
        error=error,
        qr=tfa.qr_data_uri(user, secret),
        secret=tfa.secret_groups(secret),
        signing_in=not current_user.is_authenticated,
    )
    return page, status


def _confirm_enrolment(user: User, action: str):
    """The first code typed on the enrolment page: (the recovery codes, None) when it is
    right, else (None, the page again with the French refusal)."""
    form = CodeForm()
    if not form.validate_on_submit():
        return None, _enrol_page(user, form, action, None, 422 if form.errors else 200)
    if throttle.code_blocked(user.id):
        return None, _enrol_page(user, form, action, throttle.CODE_REFUSAL, 429)
    try:
        codes = tfa.confirm_enrolment(db.session, user, form.code.data)
    except ServiceError as exc:
        throttle.record_code_failure(user.id)
        return None, _enrol_page(user, form, action, exc.message, 422)
    return codes, None


def _codes_page(codes: list[str], action: str):
    return render_template(
        "auth/recovery_codes.html",
        codes=codes,
        action=action,
        signing_in=not current_user.is_authenticated,
    )


@bp.route("/connexion/activer-double-authentification", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def enrol():
    found = _pending()
    if found is None:
        return _expired()
    user, state = found
    if user.has_two_factor:
        return redirect(url_for(".code"), code=303)
    codes, refusal = _confirm_enrolment(user, url_for(".enrol"))
    if refusal is not None:
        return refusal
    throttle.clear_codes(user.id)
    state["passed"] = True
    session[PENDING] = state
    return _codes_page(codes, url_for(".codes_noted"))


@bp.post("/connexion/codes-notes")
def codes_noted():
    found = _pending()
    if found is None or not found[1].get("passed"):
        return _expired()
    return _finish_pending(*found)


# ------------------------------------------------------------------ « Mon compte »


@bp.get("/compte")
@login_required
def account():
    return render_template(
        "auth/account.html",
        required=tfa.is_required(db.session, current_user),
        form=CodeForm(prefix="codes"),
        off_form=CodeForm(prefix="off"),
        keys=passkeys.passkeys_of(db.session, current_user),
    )


@bp.route("/compte/double-authentification/activer", methods=["GET", "POST"])
@login_required
def account_enrol():
    user = current_user._get_current_object()
    if user.has_two_factor:
        return see_other(".account", "La double authentification est déjà activée.")
    codes, refusal = _confirm_enrolment(user, url_for(".account_enrol"))
    if refusal is not None:
        return refusal
    return _codes_page(codes, url_for(".account"))


def _account_refusal(form, message: str, field: str):
    form.code.errors = [message]
    forms = {"form": CodeForm(prefix="codes"), "off_form": CodeForm(prefix="off")}
    forms[field] = form
    page = render_template(
        "auth/account.html",
        required=tfa.is_required(db.session, current_user),
        keys=passkeys.passkeys_of(db.session, current_user),
        **forms,
    )
    return page, 422


@bp.post("/compte/double-authentification/codes-de-secours")
@login_required
def regenerate_codes():
    user = current_user._get_current_object()
    form = CodeForm(prefix="codes")
    if not form.validate_on_submit():
        return _account_refusal(form, "Saisissez le code de votre application.", "form")
    if throttle.code_blocked(user.id):
        return _account_refusal(form, throttle.CODE_REFUSAL, "form")
    try:
        codes = tfa.regenerate_recovery_codes(db.session, user, form.code.data)
    except ServiceError as exc:
        throttle.record_code_failure(user.id)
        return _account_refusal(form, exc.message, "form")
    return _codes_page(codes, url_for(".account"))


@bp.post("/compte/double-authentification/desactiver")
@login_required
def disable_two_factor():
    user = current_user._get_current_object()
    form = CodeForm(prefix="off")
    if not form.validate_on_submit():
        return _account_refusal(form, "Saisissez le code de votre application.", "off_form")
    if throttle.code_blocked(user.id):
        return _account_refusal(form, throttle.CODE_REFUSAL, "off_form")
    try:
        tfa.deactivate(db.session, user, form.code.data)
    except ServiceError as exc:
        if exc.field == "code":
            throttle.record_code_failure(user.id)
        return _account_refusal(form, exc.message, "off_form")
    return see_other(".account", "Double authentification désactivée.")


# ------------------------------------------------------------------ « Mes appareils et sessions »


@bp.get("/compte/sessions")
@login_required
def sessions():
    return render_template(
        "auth/sessions.html",
        rows=user_sessions.active_sessions(db.session, current_user),
        devices=tfa.active_devices(db.session, current_user),
        this_session=current_row_id(),
    )


@bp.post("/compte/sessions/<uuid:session_id>/terminer")
@login_required
def end_session(session_id: uuid.UUID):
    if session_id == current_row_id():
        abort(404)  # this one ends with « Se déconnecter »
    return act(
        lambda: user_sessions.end_other_session(db.session, current_user, session_id),
        "Session terminée.",
        ".sessions",
    )


@bp.post("/compte/appareils/<uuid:device_id>/oublier")
@login_required
def forget_device(device_id: uuid.UUID):
    return act(
        lambda: tfa.forget_device(db.session, current_user, device_id),
        "Appareil oublié : le code sera demandé à la prochaine connexion.",
        ".sessions",
    )


@bp.post("/compte/sessions/partout")
@login_required
def end_everywhere():
    user_sessions.end_everywhere(db.session, current_user)
    session.clear()
    flash("Vous êtes déconnecté·e de toutes vos sessions et appareils.", "success")
    return redirect(url_for(".login"), code=303)
