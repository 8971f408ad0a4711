"""Staff accounts of the structure: list, invite, roles (audited), deactivate, and the
answers to role requests (a role reading personal data asked by an administrator who is not
the direction waits for a second person: services/accounts/approvals.py).

Until a person accepts an invitation, the structure sees only what its administrator typed
(``Membership.display_name``), never the account's own name, sign-ins or other structures.
"""

from __future__ import annotations

import uuid

from flask import flash, g, request
from sqlalchemy import select

from siae_app.blueprints.forms_common import put_error, submit
from siae_app.blueprints.members import bp, loaders
from siae_app.blueprints.members.forms import InviteForm, RolesForm
from siae_app.blueprints.routes_common import ObjectPage
from siae_app.extensions import db
from siae_app.models import Membership
from siae_app.permissions.policy import Perm, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError, accounts
from siae_app.services.accounts import two_factor


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
    requests = [(m, accounts.can_approve(g.membership, m)) for m in accounts.waiting(db.session)]
    return render("members/members.html", block="member_rows", members=rows, q=q, requests=requests)


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


def _member_page(membership: Membership, form: RolesForm | None = None) -> str:
    link = None
    if can(Perm.MEMBERS_MANAGE) or can(Perm.MEMBERS_APPROVE):
        link = accounts.screen_link(db.session, membership)
    events = accounts.history(db.session, membership)
    return render(
        "members/member.html",
        form=form or RolesForm(obj=membership),
        member=membership,
        link=link,
        events=events,
        may_approve=accounts.can_approve(g.membership, membership),
    )


MEMBER = ObjectPage("membership_id", loaders.membership, ".member", _member_page)


@bp.get("/membres/<uuid:membership_id>")
@require(Perm.MEMBERS_VIEW)
def member(membership_id: uuid.UUID):
    return _member_page(loaders.membership(membership_id))


@bp.post("/membres/<uuid:membership_id>/roles")
@require(Perm.MEMBERS_MANAGE)
def update_member(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)
    form = RolesForm()
    name = membership.display_name

    def done(applied: bool):
        if applied:
            return MEMBER.back_to(membership, f"Rôles de {name} enregistrés.")
        return MEMBER.back_to(
            membership,
            f"Demande envoyée : les rôles de {name} attendent l'approbation d'une autre "
            "personne (un autre administrateur ou la direction).",
        )

    return submit(
        form,
        lambda: accounts.update_roles(
            db.session, membership, form.roles.data, form.job_title.data, actor=g.membership
        ),
        done,
        lambda: _member_page(membership, form),
        "roles",
    )


def _approved_message(membership: Membership, approval) -> str:
    name = membership.display_name
    if not approval.invitation_sent:
        roles = ", ".join(membership.role_labels)
        return f"Demande approuvée : {name} a maintenant les rôles {roles}."
    if approval.mailed:
        return f"Demande approuvée : l'invitation de {name} est partie par courriel."
    return f"Demande approuvée : l'invitation de {name} est prête (voir ci-dessous)."


def _answer(membership: Membership, answer):
    """Run one answer to a request; its French refusal is flashed, as for a button."""
    try:
        message = answer()
    except ServiceError as exc:
        flash(exc.message, "error")
        return MEMBER.back_to(membership)
    return MEMBER.back_to(membership, message)


@bp.post("/membres/<uuid:membership_id>/approuver")
@require(Perm.MEMBERS_APPROVE)
def approve_request(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)

    def answer():
        return _approved_message(membership, accounts.approve(db.session, membership, g.membership))

    return _answer(membership, answer)


@bp.post("/membres/<uuid:membership_id>/refuser-la-demande")
@require(Perm.MEMBERS_APPROVE)
def refuse_request(membership_id: uuid.UUID):
    membership = loaders.membership(membership_id)

    def answer():
        withdrawn = accounts.refuse(db.session, membership, g.membership)
        verb = "retirée" if withdrawn else "refusée"
        return f"Demande concernant {membership.display_name} {verb}."

    return _answer(membership, answer)


@bp.post("/membres/<uuid:membership_id>/desactiver")
@require(Perm.MEMBERS_MANAGE)
@MEMBER.button("L'accès de {0.display_name} est désactivé.", named=True)
def deactivate(membership: Membership) -> None:
    accounts.deactivate_member(db.session, membership, g.membership)


@bp.post("/membres/<uuid:membership_id>/reactiver")
@require(Perm.MEMBERS_MANAGE)
@MEMBER.button("L'accès de {0.display_name} est réactivé.", named=True)
def reactivate(membership: Membership) -> None:
    accounts.reactivate_member(db.session, membership, g.membership)


@bp.post("/membres/<uuid:membership_id>/double-authentification/reinitialiser")
@require(Perm.MEMBERS_APPROVE)  # the direction and the administration
@MEMBER.button(
    "La double authentification de {0.display_name} est réinitialisée : "
    "la personne l'activera de nouveau à sa prochaine connexion.",
    named=True,
)
def reset_two_factor(membership: Membership) -> None:
    two_factor.reset_by(db.session, g.membership, membership)
