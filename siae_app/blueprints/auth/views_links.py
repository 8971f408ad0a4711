"""Pages opened from a link: invitations (bound to one structure's membership) and password
resets, and the request for a reset link."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from siae_app.auth_session import start_session
from siae_app.blueprints.auth import bp
from siae_app.blueprints.auth.forms import ForgotPasswordForm, NewPasswordForm
from siae_app.blueprints.auth.views import home_for, ip_limit
from siae_app.blueprints.forms_common import act, put_error, see_other
from siae_app.extensions import db, limiter
from siae_app.services import ServiceError, accounts
from siae_app.services.tokens import TokenError


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _link_error(message: str):
    return render_template("auth/link_error.html", message=message), 400


def _signed_in_after_password(user, welcome: str):
    if accounts.active_memberships(db.session, user.id) or accounts.pending_invitations(
        db.session, user.id
    ):
        accounts.record_login(db.session, user)
        start_session(user)
        flash(welcome, "success")
        return home_for(user)
    flash("Votre mot de passe est enregistré.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
def accept_invitation(token: str):
    try:
        membership, mailed = accounts.read_invitation(db.session, token)
    except TokenError as exc:
        return _link_error(exc.message)
    if membership.user.password_hash is None:
        return _new_account(membership, mailed)
    return _existing_account(membership, mailed)


def _new_account(membership, mailed: bool):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.accept_with_password(db.session, membership, form.password.data, mailed=mailed)
        except ServiceError as exc:
            put_error(form, exc, "password")
        else:
            return _signed_in_after_password(
                membership.user, "Votre compte est activé. Bienvenue !"
            )
    status = 422 if form.errors else 200
    return render_template("auth/invitation.html", form=form, invitation=membership), status


def _existing_account(membership, mailed: bool):
    """An account with a password never chooses it here: its owner signs in, then answers."""
    is_owner = current_user.is_authenticated and current_user.id == membership.user_id
    page = render_template("auth/invitation_existing.html", invitation=membership, owner=is_owner)
    if request.method == "GET":
        return page
    if not is_owner:
        return page, 400
    if request.form.get("answer") == "refuse":
        accounts.refuse_invitation(db.session, current_user, membership)
        return see_other("auth.choose_structure", "Invitation refusée.")
    return act(
        lambda: accounts.accept_signed_in(db.session, current_user, membership, mailed_link=mailed),
        f"Vous avez rejoint {membership.structure.name}.",
        "s.home.index",
        on_error="auth.choose_structure",
        structure_slug=membership.structure.slug,
    )


@bp.route("/mot-de-passe/reinitialiser/<token>", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
def reset_password(token: str):
    try:
        user = accounts.read_reset_token(db.session, token)
    except TokenError as exc:
        return _link_error(exc.message)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session, user, form.password.data)
        except ServiceError as exc:
            put_error(form, exc, "password")
        else:
            return _signed_in_after_password(user, "Votre mot de passe est enregistré.")
    status = 422 if form.errors else 200
    return render_template("auth/reset_password.html", form=form, user=user), status


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(db.session, form.email.data)
        flash(
            "Si un compte existe pour cette adresse, un lien de réinitialisation vient d'y "
            "être envoyé. Il est valable une heure.",
            "info",
        )
        return redirect(url_for("auth.login"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status
