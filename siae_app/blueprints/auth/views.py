"""Sign-in, sign-out, structure choice, invitations and password resets."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from siae_app.auth_session import start_session
from siae_app.blueprints.auth import bp
from siae_app.blueprints.auth.forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from siae_app.extensions import db, limiter
from siae_app.models import User
from siae_app.services import ServiceError, accounts
from siae_app.services.tokens import INVITATION, RESET, TokenError, read_token

GENERIC_LOGIN_ERROR = "Adresse e-mail ou mot de passe incorrect, ou compte désactivé."


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_IP"]


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _home_for(user: User):
    memberships = accounts.active_memberships(db.session, user.id)
    slugs = [m.structure.slug for m in memberships]
    last = session.get("last_structure")
    if last in slugs:
        return redirect(url_for("s.home.index", structure_slug=last))
    if len(slugs) == 1:
        return redirect(url_for("s.home.index", structure_slug=slugs[0]))
    return redirect(url_for("auth.choose_structure"))


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return _home_for(current_user)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            error = GENERIC_LOGIN_ERROR
        else:
            accounts.record_login(db.session, user)
            start_session(user)
            return _home_for(user)
    status = 200 if error is None and not form.errors else 422
    if request.method == "GET":
        status = 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        accounts.end_sessions(db.session, current_user)
        logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e.", "success")
    return redirect(url_for("auth.login"), code=303)


@bp.get("/structures")
@login_required
def choose_structure():
    memberships = accounts.active_memberships(db.session, current_user.id)
    return render_template("auth/choose_structure.html", memberships=memberships)


def _load_user(user_id):
    return db.session.scalar(select(User).where(User.id == user_id))


def _password_page(token: str, purpose: str, template: str):
    max_age = current_app.config[
        "INVITATION_MAX_AGE" if purpose == INVITATION else "PASSWORD_RESET_MAX_AGE"
    ]
    try:
        user = read_token(token, purpose, max_age, _load_user)
    except TokenError as exc:
        return render_template("auth/link_error.html", message=exc.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(db.session, user, form.password.data)
        except ServiceError as exc:
            form.password.errors.append(exc.message)
        else:
            if accounts.active_memberships(db.session, user.id):
                accounts.record_login(db.session, user)
                start_session(user)
                flash("Votre mot de passe est enregistré. Bienvenue !", "success")
                return _home_for(user)
            flash("Votre mot de passe est enregistré.", "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template(template, form=form, user=user), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
def accept_invitation(token: str):
    return _password_page(token, INVITATION, "auth/invitation.html")


@bp.route("/mot-de-passe/reinitialiser/<token>", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
def reset_password(token: str):
    return _password_page(token, RESET, "auth/reset_password.html")


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
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
