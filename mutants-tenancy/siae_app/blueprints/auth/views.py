"""Sign-in (with a progressive delay on wrong passwords), sign-out, structure choice and the
answers to invitations waiting there."""

from __future__ import annotations

import uuid

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from siae_app.auth_session import current_row_id, is_known_device
from siae_app.blueprints.auth import bp, link_codes
from siae_app.blueprints.auth.forms import LoginForm
from siae_app.blueprints.auth.landing import home_for
from siae_app.blueprints.auth.views_two_factor import after_password
from siae_app.blueprints.forms_common import act, see_other
from siae_app.extensions import db, limiter
from siae_app.services import accounts
from siae_app.services.accounts import sessions as user_sessions
from siae_app.services.accounts import throttle

GENERIC_LOGIN_ERROR = "Adresse e-mail ou mot de passe incorrect, ou compte désactivé."


def ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_IP"]


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return home_for(current_user)


def _next_invitation() -> str | None:
    """The invitation page to go back to after sign-in (that local path only)."""
    path = request.args.get("suite") or ""
    return path if path == url_for("auth.accept_invitation") else None


def _login_page(form, error, status):
    page = render_template("auth/login.html", form=form, error=error, suite=_next_invitation())
    return page, status


def _attempt(form):
    """One sign-in attempt; a response, or (error, status) to show on the form."""
    email = form.email.data
    wait = throttle.wait_seconds(email)
    if wait and not is_known_device(email):
        return None, (throttle.waiting_message(wait), 429)
    user = accounts.authenticate(db.session, email, form.password.data)
    if user is None:
        hint = throttle.failure_hint(throttle.record_failure(email))
        return None, (f"{GENERIC_LOGIN_ERROR} {hint}".strip(), 422)
    throttle.clear(email)
    suite = _next_invitation()
    opened = link_codes.kept(link_codes.INVITATION) if suite else None
    # Signed in now, or after the second factor (a code, or the enrolment it requires).
    return after_password(user, email, suite, opened), None


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_invitation() or url_for("auth.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, None, 422 if form.errors else 200)
    response, refusal = _attempt(form)
    if response is not None:
        return response
    return _login_page(form, *refusal)


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        row_id = current_row_id()
        if row_id is None:  # a session from before the rows: only the nonce can end it
            accounts.end_sessions(db.session, current_user)
        # This session only: the person's other browsers stay signed in (« Se déconnecter
        # partout » ends them all).
        user_sessions.end_session(db.session, current_user, row_id)
        logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e.", "success")
    return redirect(url_for("auth.login"), code=303)


@bp.get("/structures")
@login_required
def choose_structure():
    memberships = accounts.active_memberships(db.session, current_user.id)
    invitations = accounts.pending_invitations(db.session, current_user.id)
    return render_template(
        "auth/choose_structure.html", memberships=memberships, invitations=invitations
    )


def _own_invitation(invitation_id: uuid.UUID):
    membership = accounts.own_invitation(db.session, current_user, invitation_id)
    if membership is None:
        abort(404)
    return membership


@bp.post("/invitations/<uuid:invitation_id>/accepter")
@login_required
def accept_pending(invitation_id: uuid.UUID):
    membership = _own_invitation(invitation_id)
    return act(
        lambda: accounts.accept_signed_in(db.session, current_user, membership),
        f"Vous avez rejoint {membership.structure.name}.",
        "s.home.index",
        on_error="auth.choose_structure",
        structure_slug=membership.structure.slug,
    )


@bp.post("/invitations/<uuid:invitation_id>/refuser")
@login_required
def refuse_pending(invitation_id: uuid.UUID):
    membership = _own_invitation(invitation_id)
    accounts.refuse_invitation(db.session, current_user, membership)
    return see_other(
        ".choose_structure", f"Vous avez refusé de rejoindre {membership.structure.name}."
    )
