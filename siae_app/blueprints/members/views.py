"""Staff accounts of the structure: list, invite, roles (audited), deactivate.

Until a person accepts an invitation, the structure sees only what its administrator typed
(``Membership.display_name``), never the account's own name, sign-ins or other structures.
"""

from __future__ import annotations

import uuid

from flask import g, request
from sqlalchemy import select

from siae_app.blueprints.forms_common import act, put_error, see_other, submit
from siae_app.blueprints.members import bp, loaders
from siae_app.blueprints.members.forms import InviteForm, RolesForm
from siae_app.extensions import db
from siae_app.models import Membership
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError, accounts


def _matches(membership: Membership, q: str) -> bool:
    return q in f"{membership.display_name} {membership.user.email}".lower()


@bp.get("/membres")
@require(Perm.MEMBERS_VIEW)
def members():
    q = (request.args.get("q") or "").strip()[:100]
    rows = db.session.scalars(select(Membership)).all()
    # Searched and sorted on what the structure may see (the typed name while pending).
    rows = [m for m in rows if not q or _matches(m, q.lower())]
    rows.sort(key=lambda m: (not m.is_active, m.display_name.split(" ")[-1].lower()))
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
                actor=g.membership,
            )
        except ServiceError as exc:
            put_error(form, exc, "email")
        else:
            return render(
                "members/invited.html", membership=membership, link=link, mailed=mailed
            ), 201
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
    return submit(
        form,
        lambda: accounts.update_roles(
            db.session, membership, form.roles.data, form.job_title.data, actor=g.membership
        ),
        lambda _: see_other(
            ".member",
            f"Rôles de {membership.display_name} enregistrés.",
            membership_id=membership.id,
        ),
        lambda: _member_page(membership, form)[0],
        "roles",
    )


def _member_page(membership: Membership, form: RolesForm):
    link = None
    if can(Perm.MEMBERS_MANAGE):
        link = accounts.screen_link(db.session, membership)
    events = accounts.history(db.session, membership)
    status = 422 if form.errors else 200
    return render(
        "members/member.html", form=form, member=membership, link=link, events=events
    ), status


@bp.post("/membres/<uuid:membership_id>/desactiver")
@require(Perm.MEMBERS_MANAGE)
def deactivate(membership_id: uuid.UUID):
    return _switch_access(membership_id, accounts.deactivate_member, "désactivé")


@bp.post("/membres/<uuid:membership_id>/reactiver")
@require(Perm.MEMBERS_MANAGE)
def reactivate(membership_id: uuid.UUID):
    return _switch_access(membership_id, accounts.reactivate_member, "réactivé")


def _switch_access(membership_id: uuid.UUID, change, state: str):
    """Deactivate or reactivate an access, then back to the person's page saying so."""
    membership = loaders.membership(membership_id)
    return act(
        lambda: change(db.session, membership, g.membership),
        f"L'accès de {membership.display_name} est {state}.",
        ".member",
        membership_id=membership.id,
    )
