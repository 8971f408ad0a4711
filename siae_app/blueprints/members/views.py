"""Staff accounts of the structure: list, invite, roles, deactivate."""

from __future__ import annotations

import uuid

from flask import current_app, flash, g, redirect, request, url_for
from sqlalchemy import func, or_, select

from siae_app.blueprints.members import bp, loaders
from siae_app.blueprints.members.forms import InviteForm, RolesForm
from siae_app.extensions import db
from siae_app.models import Membership, User
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError, accounts


@bp.get("/membres")
@require(Perm.MEMBERS_VIEW)
def members():
    q = (request.args.get("q") or "").strip()[:100]
    stmt = select(Membership).join(User, User.id == Membership.user_id)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(User.first_name).like(like),
                func.lower(User.last_name).like(like),
                func.lower(User.email).like(like),
            )
        )
    rows = db.session.scalars(
        stmt.order_by(Membership.is_active.desc(), func.lower(User.last_name))
    ).all()
    return render("members/members.html", block="member_rows", members=rows, q=q)


@bp.route("/membres/inviter", methods=["GET", "POST"])
@require(Perm.MEMBERS_MANAGE)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            membership, link, mailed = accounts.invite_member(
                db.session,
                g.structure,
                email=form.email.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                roles=form.roles.data,
                job_title=form.job_title.data,
            )
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            shown = None if mailed else link
            return render("members/invited.html", membership=membership, link=shown), 201
    return render("members/invite.html", form=form), 422 if form.errors else 200


@bp.get("/membres/<uuid:membership_id>")
@require(Perm.MEMBERS_VIEW)
def member(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)
    return _member_page(membership, RolesForm(obj=membership))


@bp.post("/membres/<uuid:membership_id>/roles")
@require(Perm.MEMBERS_MANAGE)
def update_member(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            accounts.update_roles(db.session, membership, form.roles.data, form.job_title.data)
        except ServiceError as exc:
            form.roles.errors.append(exc.message)
        else:
            flash(f"Rôles de {membership.user.full_name} enregistrés.", "success")
            return redirect(url_for(".member", membership_id=membership.id), code=303)
    return _member_page(membership, form)


def _member_page(membership: Membership, form: RolesForm):
    link = None
    no_smtp = not current_app.config.get("MAIL_SERVER")
    if membership.user.password_hash is None and can(Perm.MEMBERS_MANAGE) and no_smtp:
        link = accounts.account_link(membership.user)
    status = 422 if form.errors else 200
    return render("members/member.html", form=form, member=membership, link=link), status


@bp.post("/membres/<uuid:membership_id>/desactiver")
@require(Perm.MEMBERS_MANAGE)
def deactivate(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)
    try:
        accounts.deactivate_member(db.session, membership, g.membership)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(f"L'accès de {membership.user.full_name} est désactivé.", "success")
    return redirect(url_for(".member", membership_id=membership.id), code=303)


@bp.post("/membres/<uuid:membership_id>/reactiver")
@require(Perm.MEMBERS_MANAGE)
def reactivate(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)
    accounts.reactivate_member(db.session, membership)
    flash(f"L'accès de {membership.user.full_name} est réactivé.", "success")
    return redirect(url_for(".member", membership_id=membership.id), code=303)
