"""Pages opened from a link: invitations (bound to one structure's membership) and password
resets, and the request for a reset link.

A link's token never travels in a URL the server receives (link_codes): it is posted to
``…/ouvrir``, kept in the session, and the page lives at ``/invitation`` or
``/mot-de-passe/reinitialiser``.
"""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from siae_app.blueprints.auth import bp, link_codes
from siae_app.blueprints.auth.forms import ForgotPasswordForm, LinkCodeForm, NewPasswordForm
from siae_app.blueprints.auth.link_codes import INVITATION, RESET, LinkKind
from siae_app.blueprints.auth.views import ip_limit
from siae_app.blueprints.auth.views_two_factor import after_password
from siae_app.blueprints.forms_common import act, put_error, see_other
from siae_app.extensions import db, limiter
from siae_app.services import ServiceError, accounts
from siae_app.services.tokens import TokenError


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _page(kind: LinkKind, template: str, status: int = 200, **context):
    """A page of a link: never kept by a cache (it shows whose link it is)."""
    response = make_response(render_template(template, link_kind=kind, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _link_error(kind: LinkKind, message: str):
    link_codes.forget(kind)
    return _page(kind, "auth/link_error.html", 400, message=message)


def _opening(kind: LinkKind, form: LinkCodeForm | None = None, status: int = 200):
    """No token kept yet: the page whose script posts the link's code (or where the person
    pastes the link without JavaScript)."""
    return _page(kind, "auth/link_open.html", status, form=form or LinkCodeForm())


def _open(kind: LinkKind):
    form = LinkCodeForm()
    code = link_codes.code_from(form.code.data)
    if not form.validate_on_submit() or not code:
        if not form.code.errors:
            form.code.errors = ["Collez le lien reçu par courriel, en entier."]
        return _opening(kind, form, 422)
    link_codes.keep(kind, code)
    return redirect(url_for(kind.page), code=303)


@bp.post("/invitation/ouvrir")
@limiter.limit(ip_limit)
def open_invitation():
    return _open(INVITATION)


@bp.post("/mot-de-passe/reinitialiser/ouvrir")
@limiter.limit(ip_limit)
def open_reset_link():
    return _open(RESET)


def _signed_in_after_password(user, welcome: str):
    if accounts.active_memberships(db.session, user.id) or accounts.pending_invitations(
        db.session, user.id
    ):
        # Through the second factor too: a link in a mailbox does not replace it.
        response = after_password(user, user.email, None, None)
        flash(welcome, "success")
        return response
    flash("Votre mot de passe est enregistré.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitation", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
def accept_invitation():
    token = link_codes.kept(INVITATION)
    if token is None:
        return _opening(INVITATION, status=200 if request.method == "GET" else 400)
    try:
        membership, mailed = accounts.read_invitation(db.session, token)
    except TokenError as exc:
        return _link_error(INVITATION, exc.message)
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
            link_codes.forget(INVITATION)
            return _signed_in_after_password(
                membership.user, "Votre compte est activé. Bienvenue !"
            )
    status = 422 if form.errors else 200
    return _page(INVITATION, "auth/invitation.html", status, form=form, invitation=membership)


def _existing_account(membership, mailed: bool):
    """An account with a password never chooses it here: its owner signs in, then answers."""
    is_owner = current_user.is_authenticated and current_user.id == membership.user_id
    page = _page(INVITATION, "auth/invitation_existing.html", invitation=membership, owner=is_owner)
    if request.method == "GET":
        return page
    if not is_owner:
        page.status_code = 400
        return page
    link_codes.forget(INVITATION)  # answered: the link is spent
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


@bp.route("/mot-de-passe/reinitialiser", methods=["GET", "POST"])
@limiter.limit(ip_limit, methods=["POST"])
def reset_password():
    token = link_codes.kept(RESET)
    if token is None:
        return _opening(RESET, status=200 if request.method == "GET" else 400)
    try:
        user = accounts.read_reset_token(db.session, token)
    except TokenError as exc:
        return _link_error(RESET, exc.message)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session, user, form.password.data)
        except ServiceError as exc:
            put_error(form, exc, "password")
        else:
            link_codes.forget(RESET)
            return _signed_in_after_password(user, "Votre mot de passe est enregistré.")
    status = 422 if form.errors else 200
    return _page(RESET, "auth/reset_password.html", status, form=form, user=user)


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
